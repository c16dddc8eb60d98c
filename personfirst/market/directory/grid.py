"""British National Grid eastings and northings to latitude and longitude.

Open Referral UK gives a location's latitude and longitude (WGS84); our
postcode data gives grid references. This is the Ordnance Survey's own
method ("A guide to coordinate systems in Great Britain"): the inverse
Transverse Mercator projection on the Airy 1830 ellipsoid (OSGB36), then a
Helmert transformation to WGS84, good to about five metres, which is
plenty for "where is this service".
"""

from __future__ import annotations

from math import atan2, cos, degrees, radians, sin, sqrt, tan

# Airy 1830 and the National Grid's true origin.
_A, _B = 6377563.396, 6356256.909
_F0 = 0.9996012717
_LAT0, _LON0 = radians(49), radians(-2)
_N0, _E0 = -100_000.0, 400_000.0
# GRS80 / WGS84.
_WGS_A, _WGS_B = 6378137.000, 6356752.3141
# Helmert parameters, OSGB36 -> WGS84.
_TX, _TY, _TZ = 446.448, -125.157, 542.060
_S = 20.4894e-6
_RX, _RY, _RZ = (radians(seconds / 3600) for seconds in (0.1502, 0.2470, 0.8421))


def _meridional_arc(lat: float) -> float:
    n = (_A - _B) / (_A + _B)
    d, s = lat - _LAT0, lat + _LAT0
    return (
        _B
        * _F0
        * (
            (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * d
            - (3 * n + 3 * n**2 + 21 / 8 * n**3) * sin(d) * cos(s)
            + (15 / 8 * n**2 + 15 / 8 * n**3) * sin(2 * d) * cos(2 * s)
            - 35 / 24 * n**3 * sin(3 * d) * cos(3 * s)
        )
    )


def to_osgb36(easting: float, northing: float) -> tuple[float, float]:
    """Latitude and longitude in degrees on OSGB36."""
    e2 = 1 - _B**2 / _A**2
    lat = _LAT0
    arc = 0.0
    while True:
        lat = (northing - _N0 - arc) / (_A * _F0) + lat
        arc = _meridional_arc(lat)
        if abs(northing - _N0 - arc) < 0.00001:
            break
    nu = _A * _F0 / sqrt(1 - e2 * sin(lat) ** 2)
    rho = _A * _F0 * (1 - e2) / (1 - e2 * sin(lat) ** 2) ** 1.5
    eta2 = nu / rho - 1
    t = tan(lat)
    sec = 1 / cos(lat)
    vii = t / (2 * rho * nu)
    viii = t / (24 * rho * nu**3) * (5 + 3 * t**2 + eta2 - 9 * t**2 * eta2)
    ix = t / (720 * rho * nu**5) * (61 + 90 * t**2 + 45 * t**4)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * t**2)
    xii = sec / (120 * nu**5) * (5 + 28 * t**2 + 24 * t**4)
    xiia = sec / (5040 * nu**7) * (61 + 662 * t**2 + 1320 * t**4 + 720 * t**6)
    de = easting - _E0
    lat_out = lat - vii * de**2 + viii * de**4 - ix * de**6
    lon_out = _LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return degrees(lat_out), degrees(lon_out)


def _helmert_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    lat, lon = radians(lat), radians(lon)
    e2 = 1 - _B**2 / _A**2
    nu = _A / sqrt(1 - e2 * sin(lat) ** 2)
    x = nu * cos(lat) * cos(lon)
    y = nu * cos(lat) * sin(lon)
    z = (1 - e2) * nu * sin(lat)
    x2 = _TX + (1 + _S) * x - _RZ * y + _RY * z
    y2 = _TY + _RZ * x + (1 + _S) * y - _RX * z
    z2 = _TZ - _RY * x + _RX * y + (1 + _S) * z
    e2w = 1 - _WGS_B**2 / _WGS_A**2
    p = sqrt(x2**2 + y2**2)
    lat2 = atan2(z2, p * (1 - e2w))
    for _ in range(10):
        nu2 = _WGS_A / sqrt(1 - e2w * sin(lat2) ** 2)
        lat2 = atan2(z2 + e2w * nu2 * sin(lat2), p)
    return degrees(lat2), degrees(atan2(y2, x2))


def to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """Latitude and longitude (WGS84, degrees, six decimal places) of a grid reference."""
    lat, lon = _helmert_to_wgs84(*to_osgb36(easting, northing))
    return round(lat, 6), round(lon, 6)
