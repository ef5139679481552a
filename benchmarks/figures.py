"""A reported figure: its repeated values, the baseline measured beside it, the ratio and the DESIGN 8b target."""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.timing import Series

MB_PER_GB = 1024


@dataclass(frozen=True)
class Target:
    """A goal on a figure's median (`on="value"`) or on its ratio to the baseline (`on="ratio"`)."""

    on: str
    at_least: bool
    goal: float
    stretch: float | None = None
    unit: str = ""

    def text(self) -> str:
        sign = "≥" if self.at_least else "≤"
        unit = f" {self.unit}" if self.unit else ""
        stretch = f" (stretch {_number(self.stretch)}{unit})" if self.stretch is not None else ""
        return f"{sign} {_number(self.goal)}{unit}{stretch}"

    def judge(self, number: float | None) -> str:
        if number is None:
            return "—"
        if self.stretch is not None and self._meets(number, self.stretch):
            return "yes (stretch)"
        return "yes" if self._meets(number, self.goal) else "**no**"

    def _meets(self, number: float, goal: float) -> bool:
        return number >= goal if self.at_least else number <= goal


@dataclass
class Figure:
    """A measured series; `ratio` says how it compares to `baseline`: 'share', 'times' or 'faster'."""

    series: Series
    baseline: Series | None = None
    ratio: str = ""
    ratio_label: str = ""
    target: Target | None = None

    def ratio_value(self) -> float | None:
        if self.baseline is None:
            return None
        if self.ratio == "faster":
            return self.baseline.median / self.series.median
        return self.series.median / self.baseline.median

    def ratio_text(self) -> str:
        value = self.ratio_value()
        if value is None:
            return "—"
        shown = f"{value:.2g}" if value < 0.1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"
        return f"{shown} {self.ratio_label}".strip()

    def verdict(self) -> str:
        if self.target is None:
            return "—"
        number = self.ratio_value() if self.target.on == "ratio" else self.series.median
        return self.target.judge(number)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def show(value: float, unit: str) -> str:
    """A value in its unit, rounded for reading."""
    if unit.endswith("/s"):
        return f"{value:,.0f} {unit}"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit in ("s", "µs"):
        return f"{value:.2f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    if unit == "B":
        return f"{value:,.0f} B"
    return f"{value:g} {unit}".strip()
