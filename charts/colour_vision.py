"""How a colour looks to a reader without full colour vision, and on a black-and-white printout.

Committee papers are printed in greyscale and some members have red-green colour blindness, so the
palette is checked here rather than by eye: a colour is simulated as a deuteranope sees it (Machado,
Oliveira and Fernandes 2009, severity 1.0, applied to linear RGB) and reduced to its CIE lightness
L* (0 black to 100 white), which is what survives a greyscale print.
"""

from __future__ import annotations

# Machado et al. (2009), 'A physiologically-based model for simulation of color vision deficiency',
# deuteranomaly at severity 1.0 (deuteranopia), for linear RGB.
DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)
REC709_LUMINANCE = (0.2126, 0.7152, 0.0722)


def rgb(colour: str) -> tuple[int, int, int]:
    """'#12436D' -> (18, 67, 109)."""
    text = colour.lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"{colour!r} is not a #RRGGBB colour")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def hex_colour(channels: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in channels)


def _to_linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _to_srgb(linear: float) -> float:
    linear = max(0.0, min(1.0, linear))
    c = linear * 12.92 if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055
    return c * 255


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    linear = [_to_linear(c) for c in rgb(colour)]
    return sum(w * c for w, c in zip(REC709_LUMINANCE, linear, strict=True))


def lightness(colour: str) -> float:
    """CIE L*, 0 to 100: how light the colour prints in greyscale, on a scale where equal steps look equal."""
    y = relative_luminance(colour)
    f = y ** (1 / 3) if y > 216 / 24389 else (24389 / 27 * y + 16) / 116
    return 116 * f - 16


def contrast_ratio(colour: str, background: str = "#FFFFFF") -> float:
    """WCAG contrast ratio (1 to 21) of a colour against the background."""
    a, b = sorted((relative_luminance(colour), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def deuteranopia(colour: str) -> str:
    """The colour as a reader with deuteranopia (no green-sensitive cones) sees it."""
    linear = [_to_linear(c) for c in rgb(colour)]
    seen = [sum(m * c for m, c in zip(row, linear, strict=True)) for row in DEUTERANOPIA]
    return hex_colour(tuple(_to_srgb(c) for c in seen))  # type: ignore[arg-type]


def greyscale(colour: str) -> str:
    """The grey a colour prints as (same relative luminance)."""
    grey = _to_srgb(relative_luminance(colour))
    return hex_colour((grey, grey, grey))
