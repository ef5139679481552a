"""Chart labels that never overlap: text boxes estimated from glyph widths, placed at the first free spot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from stratlog.infrastructure.report_format import esc, visible

# Advance widths in em of DejaVu Sans, the widest of the usual sans-serif fonts (so an estimate is an upper
# bound for the others); characters not listed take the width of their class below.
_WIDTHS = {" ": .318, ".": .318, ",": .318, ":": .337, ";": .337, "-": .361, "–": .5, "—": 1.0, "→": .838,
           "←": .838, "·": .318, "%": .95, "(": .39, ")": .39, "/": .337, "'": .275, '"': .46, "+": .838,
           "&": .78, "<": .838, ">": .838, "!": .4, "?": .531, "_": .5, "@": 1.0, "*": .5, "#": .838,
           "a": .613, "b": .635, "c": .55, "d": .635, "e": .615, "f": .352, "g": .635, "h": .634, "i": .278,
           "j": .278, "k": .579, "l": .278, "m": .974, "n": .634, "o": .612, "p": .635, "q": .635, "r": .411,
           "s": .521, "t": .392, "u": .634, "v": .592, "w": .818, "x": .592, "y": .592, "z": .525,
           "I": .295, "J": .295, "M": .863, "W": .989}
_UPPER, _DIGIT, _OTHER, _WIDE = .77, .636, .7, 1.0
ASCENT, DESCENT, SAFETY, BOLD = .95, .26, 1.06, 1.1


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in px of `text` at font size `size` px: an upper bound of what a browser draws."""
    em = sum(_WIDTHS.get(c) or (_DIGIT if c.isdigit() else _UPPER if c.isupper() else
                                _WIDE if ord(c) > 0x2E7F else _OTHER) for c in text)
    return em * size * SAFETY * (BOLD if bold else 1.0)


@dataclass(frozen=True)
class Box:
    """A text's rectangle in the chart's coordinates (x grows right, y grows down)."""

    left: float
    top: float
    right: float
    bottom: float

    def hits(self, other: Box, gap: float = 1.0) -> bool:
        """Whether the two rectangles come closer than `gap` px on both axes."""
        return (self.left < other.right + gap and other.left < self.right + gap
                and self.top < other.bottom + gap and other.top < self.bottom + gap)


def box_of(text: str, x: float, y: float, anchor: str, size: float, bold: bool = False) -> Box:
    """The box of a one-line text drawn at baseline (x, y) with `text-anchor` start, middle or end."""
    width = text_width(text, size, bold)
    left = x if anchor == "start" else x - width / 2 if anchor == "middle" else x - width
    return Box(left, y - ASCENT * size, left + width, y + DESCENT * size)


@dataclass(frozen=True)
class Spot:
    """A candidate place for a label: its baseline point and text anchor."""

    x: float
    y: float
    anchor: str = "start"


class Labels:
    """The labels of one chart: each goes to the first of its candidate spots that keeps it inside the
    chart's width and clear of every label placed before; a label with no free spot is left out (the mark it
    names carries the same words in its `<title>` tooltip). Place the most important labels first."""

    def __init__(self, width: float, height: float | None = None):
        self.width, self.height, self.boxes = width, height, []

    def place(self, text: str, spots: Iterable[Spot], css: str, size: float, bold: bool = False,
              tip: str | None = None) -> str:
        """The `<text>` element (data text escaped) at the first free spot, or '' when every spot is taken;
        `size` is the font size in px the class `css` gives it, `tip` an optional tooltip."""
        text = visible(text)  # measured as it is shown
        for spot in spots:
            box = box_of(text, spot.x, spot.y, spot.anchor, size, bold)
            if box.left < 0 or box.right > self.width or box.top < 0:
                continue
            if self.height is not None and box.bottom > self.height:
                continue
            if any(box.hits(other) for other in self.boxes):
                continue
            self.boxes.append(box)
            title = f"<title>{esc(tip)}</title>" if tip else ""
            return (f'<text class="{css}" x="{round(spot.x, 1)}" y="{round(spot.y, 1)}" text-anchor="{spot.anchor}">'
                    f'{esc(text)}{title}</text>')
        return ""

    def reserve(self, box: Box) -> None:
        """Keep labels off an area (a legend, a fixed caption)."""
        self.boxes.append(box)
