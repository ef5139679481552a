"""Inline SVG charts of the report: the plan-slip timeline and one step chart per target (no JavaScript)."""

from __future__ import annotations

import html
import math
import re
from datetime import date, timedelta
from typing import Iterable

from stratlog.application.report_data import BrandReport, SubjectSlip, TargetTrack
from stratlog.domain.dates import PartialDate
from stratlog.domain.jsonvalues import display
from stratlog.domain.picture import SUBJECTS

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MARK = {name.removesuffix("_on"): mark for subject in SUBJECTS for name, mark in subject["milestones"]}
W, LABELS, RIGHT, ROW = 1200, 170, 30, 46


def esc(text) -> str:
    """Data text made safe for HTML and SVG: markup escaped, control and bidi characters shown as escapes."""
    text = "" if text is None else str(text)
    return html.escape(_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text), quote=True)


def middle(text: str) -> date:
    """A partial date is plotted at the middle of its period."""
    d = PartialDate.parse(text)
    return d.start + (d.end - d.start) / 2


class TimeAxis:
    """Maps dates to x between `left` and `right`, over whole years from `first` to `last`."""

    def __init__(self, dates: Iterable[date], left: float, right: float):
        years = [d.year for d in dates]
        self.start, self.end = date(min(years), 1, 1), date(max(years) + 1, 1, 1)
        self.left, self.right = left, right

    def x(self, day: date) -> float:
        span = (self.end - self.start).days
        return round(self.left + (day - self.start).days / span * (self.right - self.left), 1)

    def ticks(self, top: float, bottom: float, labels_at: float) -> str:
        years = range(self.start.year, self.end.year + 1)
        every = 1 if len(years) <= 16 else 2 if len(years) <= 32 else 5
        out = []
        for year in years:
            x = self.x(date(year, 1, 1))
            out.append(f'<line class="grid" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"/>')
            if year % every == 0 and year < self.end.year:
                mid = self.x(date(year, 7, 1))
                out.append(f'<text class="year" x="{mid}" y="{labels_at}" text-anchor="middle">{year}</text>')
        return "".join(out)


def period_dates(texts: Iterable[str | None]) -> list[date]:
    out = []
    for text in texts:
        if text:
            d = PartialDate.parse(text)
            out += [d.start, d.end]
    return out


def as_of_line(axis: TimeAxis, as_of: date, top: float, bottom: float) -> str:
    x = axis.x(as_of)
    left = x > axis.left + 0.75 * (axis.right - axis.left)
    return (f'<line class="asof" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"/><text class="asof-label" '
            f'x="{x - 4 if left else x + 4}" y="{top + 11}" text-anchor="{"end" if left else "start"}">'
            f'as of {as_of.isoformat()}</text>')


def timeline_svg(report: BrandReport, as_of: date) -> str:
    """One row per model and market: plans as announced (older ones faded), the slip arrow, what happened;
    a last row with the target deadlines; a dashed line at the as-of date."""
    subjects, tracks = report.subjects, report.targets
    texts = [p.planned_for for s in subjects for p in s.plans] + [m.on for s in subjects for m in s.milestones]
    texts += [d for t in tracks for d in t.deadlines]
    axis = TimeAxis(period_dates(texts) + [as_of], LABELS, W - RIGHT)
    stack = _deadline_stack(t for t in tracks if t.kpi["deadline"])  # open targets have no deadline to mark
    deadline_height = 28 + 13 * max((len(v) for v in stack.values()), default=0)
    top = 30
    bottom = top + ROW * len(subjects) + (deadline_height if tracks else 0)
    body = [_subject_row(s, axis, top + i * ROW, i) for i, s in enumerate(subjects)]
    if tracks:
        body.append(_deadline_row(stack, tracks, axis, top + ROW * len(subjects), deadline_height))
    height = bottom + 8
    return (f'<svg class="chart timeline" viewBox="0 0 {W} {height}" role="img" '
            f'aria-label="Timeline of planned and actual dates">'
            f'{axis.ticks(top - 6, bottom, top - 12)}{"".join(body)}'
            f'{as_of_line(axis, as_of, top - 6, bottom)}</svg>')


def _subject_row(slip: SubjectSlip, axis: TimeAxis, y0: float, index: int) -> str:
    y = y0 + ROW / 2
    out = [f'<rect class="{"stripe" if index % 2 else "plain"}" x="0" y="{y0}" width="{W}" height="{ROW}"/>',
           f'<text class="subject" x="8" y="{y - 2}">{esc(slip.subject)}</text>',
           f'<text class="status" x="8" y="{y + 12}">{esc(slip.subject_type)} · {esc(slip.status)}</text>']
    plans = slip.dated_plans
    if plans and slip.plans[-1].planned_for:
        latest = PartialDate.parse(plans[-1].planned_for)
        x1, x2 = axis.x(latest.start), axis.x(latest.end + timedelta(days=1))
        out.append(f'<rect class="plan-period" x="{x1}" y="{y - 3}" width="{max(x2 - x1, 2)}" height="6" rx="3"/>')
    if plans:
        out.append(_slip_arrow(plans[0].planned_for, plans[-1].planned_for, axis, y))
    for i, plan in enumerate(plans):
        opacity = round(0.25 + 0.75 * (i + 1) / len(plans), 2)
        out.append(f'<circle class="plan" cx="{axis.x(middle(plan.planned_for))}" cy="{y}" r="5" opacity="{opacity}">'
                   f'<title>{esc(slip.subject)}: planned for {esc(plan.planned_for)}, as announced '
                   f'{esc(plan.announced_on)}</title></circle>')
    for m in slip.milestones:
        if m.on:
            out.append(_milestone(slip.subject, m.what, m.on, axis.x(middle(m.on)), y))
    notes = _undated_notes(slip)
    if notes:
        x = axis.x(middle(plans[-1].planned_for)) + 12 if plans else LABELS + 8
        out.append(f'<text class="nodate" x="{x}" y="{y + 4}">{esc(notes)}</text>')
    return "".join(out)


def _slip_arrow(first: str, last: str, axis: TimeAxis, y: float) -> str:
    """Later = slipped, earlier = brought forward; a plan inside (or around) the first one's period is a
    narrowing (or widening) of the same promise, drawn in grey."""
    a, b = PartialDate.parse(first), PartialDate.parse(last)
    if a == b:
        return ""
    months = round(abs((middle(last) - middle(first)).days) / 30.44)
    if a.start <= b.start and b.end <= a.end or b.start <= a.start and a.end <= b.end:
        kind, words = "same", "narrowed" if b.end - b.start < a.end - a.start else "widened"
    else:
        kind = "slip" if middle(last) > middle(first) else "early"
        words = f"slipped {months} mo" if kind == "slip" else f"brought forward {months} mo"
    x1, x2, ya = axis.x(middle(first)), axis.x(middle(last)), y - 11
    tip = x2 - 7 if x2 > x1 else x2 + 7
    return (f'<line class="{kind}" x1="{x1}" y1="{ya}" x2="{tip}" y2="{ya}"/>'
            f'<path class="{kind}-head" d="M{tip},{ya - 4} L{x2},{ya} L{tip},{ya + 4} z"/>'
            f'<text class="{kind}-label" x="{max(x1, x2) + 10}" y="{ya + 3}">{words}: {esc(first)} → {esc(last)}</text>')


def _milestone(subject: str, what: str, on: str, x: float, y: float) -> str:
    tip = f'<title>{esc(subject)}: {esc(what)} {esc(on)}</title>'
    shape = MARK.get(what, "cross")
    if shape == "diamond":
        mark = f'<path class="actual revealed" d="M{x},{y - 7} L{x + 7},{y} L{x},{y + 7} L{x - 7},{y} z">{tip}</path>'
    elif shape == "square":
        mark = f'<rect class="actual {esc(what)}" x="{x - 6}" y="{y - 6}" width="12" height="12">{tip}</rect>'
    else:
        mark = f'<path class="ended" d="M{x - 6},{y - 6} L{x + 6},{y + 6} M{x - 6},{y + 6} L{x + 6},{y - 6}">{tip}</path>'
    return f'{mark}<text class="actual-label" x="{x + 9}" y="{y + 16}">{esc(what)} {esc(on)}</text>'


def _undated_notes(slip: SubjectSlip) -> str:
    notes = [f"{m.what}, no date" + (f" ({m.note})" if m.note else "") for m in slip.milestones if not m.on]
    if slip.plans and not slip.plans[-1].planned_for and not any(m.on for m in slip.milestones):
        notes.append("planned, no date" if len(slip.plans) == 1 else "postponed, no date")
    if not slip.dated and not notes:
        notes.append("no date")
    return " · ".join(notes)


def _deadline_stack(tracks: Iterable[TargetTrack]) -> dict[str, list[TargetTrack]]:
    stack: dict[str, list[TargetTrack]] = {}
    for t in tracks:
        stack.setdefault(t.kpi["deadline"], []).append(t)
    return stack


def _deadline_row(stack: dict, tracks, axis: TimeAxis, y0: float, height: float) -> str:
    out = [f'<line class="separator" x1="0" y1="{y0}" x2="{W}" y2="{y0}"/>',
           f'<text class="subject" x="8" y="{y0 + 18}">Target deadlines</text>']
    for t in (t for t in tracks if t.kpi["deadline"]):
        current = axis.x(middle(t.kpi["deadline"]))
        for old in t.deadlines[:-1]:
            x = axis.x(middle(old))
            out.append(f'<line class="deadline old" x1="{x}" y1="{y0 + 6}" x2="{x}" y2="{y0 + 20}">'
                       f'<title>{esc(t.label)}: earlier deadline {esc(old)}</title></line>'
                       f'<line class="moved" x1="{x}" y1="{y0 + 13}" x2="{current}" y2="{y0 + 13}"/>')
    for deadline, group in stack.items():
        x = axis.x(middle(deadline))
        out.append(f'<path class="deadline" d="M{x},{y0 + 4} L{x},{y0 + 20} M{x - 5},{y0 + 4} L{x + 5},{y0 + 4}"/>')
        for i, t in enumerate(group):
            label = f'{t.kpi["kpi"]}{" " + t.kpi["scope"] if t.kpi["scope"] else ""} · {t.kpi["status"]}'
            out.append(f'<text class="deadline-label" x="{x}" y="{y0 + 33 + 13 * i}" text-anchor="middle">'
                       f'{esc(label)}<title>{esc(t.label)}</title></text>')
    return "".join(out)


def nice_scale(low: float, high: float) -> tuple[float, float, float]:
    """A value axis from 0 (or below, for negatives) to a round top with 2 to 5 steps of 1, 2, 2.5 or 5 × 10^k."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) * 1.08 or 1.0
    unit = 10 ** math.floor(math.log10(span / 5))
    step = next(f * unit for f in (1, 2, 2.5, 5, 10) if math.ceil(span / (f * unit)) <= 5)
    bottom = math.floor(low / step) * step
    return bottom, max(math.ceil(high * 1.08 / step) * step, bottom + step), step


def compact(number: float, unit: str | None) -> str:
    """Axis numbers an analyst reads at a glance: 150k, 2 bn, 40 %."""
    n = abs(number)
    text = next((f"{number / size:g}{suffix}" for size, suffix in ((1e9, " bn"), (1e6, " M"), (1e3, "k")) if n >= size),
                f"{number:g}")
    return f"{text} %" if unit in ("percent", "%") else text


TW, TH, TOP, BOTTOM, LEFT = 580, 250, 30, 30, 66


def target_svg(track: TargetTrack, as_of: date) -> str:
    """A target's value as a step line over the dates its revisions were announced, dotted on to its
    deadline, with the actuals reported for its KPI and scope as dots."""
    steps, points = track.steps, [a for a in track.actuals if a.comparable]
    axis = TimeAxis(period_dates([s.announced_on for s in steps] + [a.period for a in points] + list(track.deadlines))
                    + [as_of], LEFT, TW - 16)
    numbers = [n for s in steps for n in (s.low, s.high) if n is not None] + [a.number for a in points]
    bottom, top, tick = nice_scale(float(min(numbers)), float(max(numbers)))

    def y(value) -> float:
        return round(TOP + (top - float(value)) / (top - bottom) * (TH - TOP - BOTTOM), 1)

    unit = track.kpi["unit"]
    grid = [f'<line class="grid" x1="{LEFT}" y1="{y(v)}" x2="{TW - 16}" y2="{y(v)}"/>'
            f'<text class="value" x="{LEFT - 6}" y="{y(v) + 4}" text-anchor="end">{esc(compact(v, unit))}</text>'
            for v in _ticks(bottom, top, tick)]
    parts = [*grid, axis.ticks(TOP, TH - BOTTOM, TH - BOTTOM + 16), _deadlines(track, axis),
             _steps(track, axis, y, as_of), _actual_dots(points, axis, y), as_of_line(axis, as_of, TOP, TH - BOTTOM)]
    return f'<svg class="chart target" viewBox="0 0 {TW} {TH}" role="img" aria-label="{esc(track.label)}">{"".join(parts)}</svg>'


def _ticks(bottom: float, top: float, tick: float) -> list[float]:
    count = round((top - bottom) / tick)
    return [bottom + i * tick for i in range(count + 1)]


def _deadlines(track: TargetTrack, axis: TimeAxis) -> str:
    out = []
    for old in track.deadlines[:-1]:
        x = axis.x(middle(old))
        out.append(f'<line class="deadline old" x1="{x}" y1="{TOP}" x2="{x}" y2="{TH - BOTTOM}"/>'
                   f'<text class="deadline-label old" x="{x}" y="{TOP - 16}" text-anchor="middle">was {esc(old)}</text>')
    if track.kpi["deadline"] is None:
        return "".join(out) + (f'<text class="deadline-label" x="{TW - 20}" y="{TOP - 4}" text-anchor="end">'
                               f'open: no deadline</text>')
    current = PartialDate.parse(track.kpi["deadline"])
    x1, x2 = axis.x(current.start), axis.x(current.end + timedelta(days=1))
    return "".join(out) + (f'<rect class="deadline-period" x="{x1}" y="{TOP}" width="{max(x2 - x1, 2)}" '
                           f'height="{TH - TOP - BOTTOM}"/><text class="deadline-label" x="{(x1 + x2) / 2}" '
                           f'y="{TOP - 4}" text-anchor="middle">deadline {esc(current)}</text>')


def _steps(track: TargetTrack, axis: TimeAxis, y, as_of: date) -> str:
    out, corners, withdrawn = [], [], None
    for i, s in enumerate(track.steps):
        x = axis.x(middle(s.announced_on))
        if s.change == "withdrawn":
            withdrawn = x
            break
        if s.low is None:
            continue
        corners.append((x, s))
        change = "" if s.change == "set" else f'<text class="change" x="{x + 4}" y="{y(s.high) - 7 - 11 * (i % 2)}">{esc(s.change)}</text>'
        out.append(f'<circle class="step" cx="{x}" cy="{y(s.high)}" r="4"><title>{esc(s.change)} '
                   f'{esc(display(s.value))} · deadline {esc(s.deadline)} · announced {esc(s.announced_on)}</title></circle>{change}')
    if not corners:
        return ""
    end = withdrawn if withdrawn is not None else axis.x(as_of)
    lines = [_step_path(corners, end, y, side) for side in ("high", "low")
             if side == "high" or any(s.low != s.high for _, s in corners)]
    return "".join(lines) + "".join(out) + _ending(track, corners[-1][1], end, withdrawn is not None, axis, y)


def _ending(track: TargetTrack, last, end: float, withdrawn: bool, axis: TimeAxis, y) -> str:
    """A cross where the target was withdrawn, else a dotted line on to a ring at its deadline."""
    if withdrawn:
        return _cross(end, y(last.high), f"withdrawn ({track.steps[-1].announced_on})")
    goal = axis.x(middle(track.kpi["deadline"])) if track.kpi["deadline"] else end
    return (f'<path class="goal" d="M{end},{y(last.high)} H{goal}"/><circle class="goal-mark" cx="{goal}" '
            f'cy="{y(last.high)}" r="5"><title>{esc(track.label)}: {esc(display(last.value))}</title></circle>')


def _step_path(corners: list, end: float, y, side: str) -> str:
    first_x, first = corners[0]
    d = [f"M{first_x},{y(getattr(first, side))}"] + [f"H{x} V{y(getattr(s, side))}" for x, s in corners[1:]]
    return f'<path class="step-line {side}" d="{" ".join(d)} H{end}"/>'


def _cross(x: float, y: float, words: str) -> str:
    return (f'<path class="ended" d="M{x - 5},{y - 5} L{x + 5},{y + 5} M{x - 5},{y + 5} L{x + 5},{y - 5}">'
            f'<title>{esc(words)}</title></path>')


def _actual_dots(points, axis: TimeAxis, y) -> str:
    if not points:
        return ""
    xy = [(axis.x(middle(a.period)), y(a.number), a) for a in points]
    line = " ".join(f"{x},{v}" for x, v, _ in xy)
    dots = "".join(f'<circle class="actual-dot" cx="{x}" cy="{v}" r="4"><title>actual {esc(a.period)}: '
                   f'{esc(display(a.value))} (announced {esc(a.announced_on)})</title></circle>'
                   f'<text class="actual-value" x="{x}" y="{v - 8}" text-anchor="middle">{esc(display(a.value))}</text>'
                   for x, v, a in xy)
    return f'<polyline class="actual-line" points="{line}"/>{dots}'
