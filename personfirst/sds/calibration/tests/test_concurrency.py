"""Importing a checked file twice at once (two tabs, a double click) makes
one import; the other is told it is gone (ConflictError), with real
transactions (the ``race`` fixture)."""

from __future__ import annotations

import pytest

from personfirst.core.concurrency import ConflictError
from personfirst.sds.calibration import services
from personfirst.sds.calibration.models import CalibrationImport, CalibrationPackage, CalibrationUpload

from .samples import good_csv

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_imports_of_one_file_at_once_make_one(world, race):
    checked, result = services.check_upload(world.council_admin, world.area, "p.csv", good_csv(600))

    # Each request read the checked file before either imported it.
    first, second = CalibrationUpload.objects.get(pk=checked.pk), CalibrationUpload.objects.get(pk=checked.pk)
    outcomes = race(
        lambda: services.confirm(world.council_admin, first, len(result.rows)),
        lambda: services.confirm(world.council_admin, second, len(result.rows)),
    )
    leaked = [o.error for o in outcomes if o.error is not None and not isinstance(o.error, ConflictError)]
    assert not leaked, leaked
    assert [o.ok for o in outcomes].count(True) == 1
    assert CalibrationImport.objects.count() == 1 and CalibrationPackage.objects.count() == 600


def test_giving_up_while_importing_leaves_one_or_the_other(world, race):
    checked, result = services.check_upload(world.council_admin, world.area, "p.csv", good_csv(600))
    first, second = CalibrationUpload.objects.get(pk=checked.pk), CalibrationUpload.objects.get(pk=checked.pk)
    outcomes = race(
        lambda: services.confirm(world.council_admin, first, len(result.rows)), lambda: services.give_up(second)
    )
    leaked = [o.error for o in outcomes if o.error is not None and not isinstance(o.error, ConflictError)]
    assert not leaked, leaked
    assert not CalibrationUpload.objects.exists()
    imported = CalibrationImport.objects.count()
    assert imported in (0, 1) and CalibrationPackage.objects.count() == 600 * imported
    assert [o.ok for o in outcomes].count(True) == 1
