"""What every chart (pygal SVG) shares: the house style, and serving it
with no scripts under a strict policy of its own. Every chart is shown
beside a table of the same figures, because an SVG chart on its own says
little to a screen reader."""

from __future__ import annotations

import base64
import hashlib
import re

from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=("#1d70b8", "#d4351c"),
    font_family="system-ui, Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
)


def style_with(colors: tuple[str, ...], *, legend_font_size: int = 13) -> Style:
    """The house chart style (STYLE's background, text colours and font) with these series colours."""
    return Style(
        background=STYLE.background,
        plot_background=STYLE.plot_background,
        foreground=STYLE.foreground,
        foreground_strong=STYLE.foreground_strong,
        foreground_subtle=STYLE.foreground_subtle,
        font_family=STYLE.font_family,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=legend_font_size,
        colors=colors,
    )


def without_scripts(svg: str) -> bytes:
    """pygal leaves a small configuration script and one style attribute
    even with js=[]: drop the script and turn the attribute into a
    presentation attribute, so the only styling left is the <style> block
    that content_security_policy() allows by its hash."""
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.DOTALL)
    svg = svg.replace(' style="opacity: 0"', ' opacity="0"')
    return svg.encode()


def content_security_policy(svg: bytes) -> str:
    """A policy for serving the chart on its own: nothing may load or run,
    and only its own style blocks apply (allowed by their SHA-256 hashes)."""
    hashes = []
    for block in re.findall(rb"<style[^>]*>(.*?)</style>", svg, flags=re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(block).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return f"default-src 'none'; style-src {' '.join(hashes) or chr(39) + 'none' + chr(39)}"
