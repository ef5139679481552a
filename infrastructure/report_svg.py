"""Inline SVG charts of the report: the shared time axis and the plan-slip timeline (no JavaScript)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from stratlog.application.report_data import BrandReport, SubjectSlip, TargetTrack
from stratlog.domain.dates import PartialDate
from stratlog.domain.picture import SUBJECTS
from stratlog.infrastructure.report_chart_style import BOLD, SVG_CSS, TEXT_SIZES
from stratlog.infrastructure.report_format import esc, visible
from stratlog.infrastructure.report_labels import Labels, Spot, text_width

MARK = {name.removesuffix("_on"): mark for subject in SUBJECTS for name, mark in subject["milestones"]}
W, LABELS, RIGHT, ROW, LANE, MAX_LANES = 1200, 170, 30, 46, 14, 16


def middle(text: str) -> date:
    """A partial date is plotted at the middle of its period."""
    d = PartialDate.parse(text)
    return d.start + (d.end - d.start) / 2


def svg(css: str, width: float, height: float, label: str, body: str) -> str:
    """A chart's `<svg>` element, carrying its own styles (so a copy renders the same anywhere)."""
    return (f'<svg class="chart {css}" viewBox="0 0 {width} {round(height, 1)}" role="img" aria-label="{esc(label)}">'
            f'<style>{SVG_CSS}</style>{body}</svg>')


def label(labels: Labels, text: str, spots: Iterable[Spot], css: str, tip: str | None = None) -> str:
    """Place a chart text of class `css` (its font size from TEXT_SIZES) at its first free spot, or leave it out."""
    return labels.place(text, spots, css, TEXT_SIZES[css.split()[0]], css.split()[0] in BOLD, tip)


def fit(text: str, width: float, css: str) -> str:
    """`text` cut with an ellipsis to fit `width` px in class `css`."""
    size, bold, text = TEXT_SIZES[css], css in BOLD, visible(text)
    while len(text) > 1 and text_width(text, size, bold) > width:
        text = text[:-2] + "…"
    return text


class TimeAxis:
    """Maps dates to x between `left` and `right`, over the whole years of the data; the as-of date widens
    the axis only when it lies within a year of the data, else it is marked at the edge (clamped)."""

    def __init__(self, data: Iterable[date], as_of: date, left: float, right: float):
        years = [d.year for d in data] or [as_of.year]
        first, last = min(years), max(years)
        if first - 1 <= as_of.year <= last + 1:
            first, last = min(first, as_of.year), max(last, as_of.year)
        self.start, self.end = date(first, 1, 1), date(last + 1, 1, 1)
        self.left, self.right = left, right

    def x(self, day: date) -> float:
        """The x of a date, clamped to the axis."""
        day = min(max(day, self.start), self.end)
        span = (self.end - self.start).days
        return round(self.left + (day - self.start).days / span * (self.right - self.left), 1)

    def inside(self, day: date) -> bool:
        return self.start <= day <= self.end

    def ticks(self, top: float, bottom: float, labels_at: float, labels: Labels) -> tuple[str, str]:
        """(a grid line at each 1 January, a year label in the middle of each year that has room)."""
        years = range(self.start.year, self.end.year + 1)
        every = 1 if len(years) <= 16 else 2 if len(years) <= 32 else 5
        grid = [f'<line class="grid" x1="{self.x(date(y, 1, 1))}" y1="{top}" x2="{self.x(date(y, 1, 1))}" '
                f'y2="{bottom}"/>' for y in years]
        names = [label(labels, str(y), [Spot(self.x(date(y, 7, 1)), labels_at, "middle")], "year")
                 for y in years if y % every == 0 and y < self.end.year]
        return "".join(grid), "".join(names)


def period_dates(texts: Iterable[str | None]) -> list[date]:
    """The first and last day of every partial date given (None skipped), for an axis to span."""
    out = []
    for text in texts:
        if text:
            d = PartialDate.parse(text)
            out += [d.start, d.end]
    return out


def as_of_line(axis: TimeAxis, as_of: date, top: float, bottom: float, labels: Labels) -> str:
    """A dashed line at the as-of date (at the axis edge, with an arrow in its label, when off the axis)."""
    x = axis.x(as_of)
    words = f"as of {as_of.isoformat()}"
    words = words if axis.inside(as_of) else f"{words} →" if as_of > axis.end else f"← {words}"
    right, left = Spot(x + 4, top + 11, "start"), Spot(x - 4, top + 11, "end")
    spots = [left, right] if x > axis.left + 0.75 * (axis.right - axis.left) else [right, left]
    spots += [Spot(s.x, s.y + LANE, s.anchor) for s in spots]
    return (f'<line class="asof" x1="{x}" y1="{top}" x2="{x}" y2="{bottom}"><title>{esc(words)}</title></line>'
            + label(labels, words, spots, "asof-label"))


def timeline_svg(report: BrandReport, as_of: date) -> str:
    """One row per model and market: plans as announced (older ones faded), the slip arrow, what happened;
    a last row with the target deadlines; a dashed line at the as-of date. No two labels overlap."""
    subjects, tracks = report.subjects, report.targets
    texts = [p.planned_for for s in subjects for p in s.plans] + [m.on for s in subjects for m in s.milestones]
    texts += [d for t in tracks for d in t.deadlines]
    axis = TimeAxis(period_dates(texts), as_of, LABELS, W - RIGHT)
    labels, top = Labels(W), 30
    rows_end = top + ROW * len(subjects)
    (grid, years), marker = axis.ticks(top - 6, rows_end, top - 12, labels), as_of_line(axis, as_of, top - 6, rows_end, labels)
    body = [_subject_row(s, axis, top + i * ROW, i, labels) for i, s in enumerate(subjects)]
    bottom = rows_end
    if tracks:
        deadlines, bottom = _deadline_row(tracks, axis, rows_end, labels)
        body.append(deadlines)
    down = f'<line class="asof" x1="{axis.x(as_of)}" y1="{rows_end}" x2="{axis.x(as_of)}" y2="{bottom}"/>'
    # placed first (they matter most), painted last (over the row stripes)
    return svg("timeline", W, bottom + 8, "Timeline of planned and actual dates", "".join(body) + grid + years + marker + down)


def _subject_row(slip: SubjectSlip, axis: TimeAxis, y0: float, index: int, labels: Labels) -> str:
    y = y0 + ROW / 2
    name, kind = fit(slip.subject, LABELS - 14, "subject"), fit(f"{slip.subject_type} · {slip.status}", LABELS - 14, "status")
    out = [f'<rect class="{"stripe" if index % 2 else "plain"}" x="0" y="{y0}" width="{W}" height="{ROW}"/>',
           label(labels, name, [Spot(8, y - 3)], "subject", slip.subject if name != slip.subject else None),
           label(labels, kind, [Spot(8, y + 14)], "status")]
    plans = slip.dated_plans
    if plans and slip.plans[-1].planned_for:
        latest = PartialDate.parse(plans[-1].planned_for)
        x1, x2 = axis.x(latest.start), axis.x(latest.end + timedelta(days=1))
        out.append(f'<rect class="plan-period" x="{x1}" y="{y - 3}" width="{max(x2 - x1, 2)}" height="6" rx="3"/>')
    if plans:
        out.append(_slip_arrow(slip.subject, plans[0].planned_for, plans[-1].planned_for, axis, y, labels))
    for i, plan in enumerate(plans):
        opacity = round(0.25 + 0.75 * (i + 1) / len(plans), 2)
        out.append(f'<circle class="plan" cx="{axis.x(middle(plan.planned_for))}" cy="{y}" r="5" opacity="{opacity}">'
                   f'<title>{esc(slip.subject)}: planned for {esc(plan.planned_for)}, as announced '
                   f'{esc(plan.announced_on)}</title></circle>')
    out += [_milestone(slip.subject, m.what, m.on, axis.x(middle(m.on)), y, labels) for m in slip.milestones if m.on]
    notes = _undated_notes(slip)
    if notes:
        x = axis.x(middle(plans[-1].planned_for)) + 12 if plans else LABELS + 8
        out.append(label(labels, notes, [Spot(x, y + 4), Spot(LABELS + 8, y + 4), Spot(x, y + 16)], "nodate",
                         f"{slip.subject}: {notes}"))
    return "".join(out)


def _slip_arrow(subject: str, first: str, last: str, axis: TimeAxis, y: float, labels: Labels) -> str:
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
    words = f"{words}: {first} → {last}"
    x1, x2, ya = axis.x(middle(first)), axis.x(middle(last)), y - 11
    tip = x2 - 7 if x2 > x1 else x2 + 7
    spots = [Spot(max(x1, x2) + 10, ya + 3), Spot(min(x1, x2) - 10, ya + 3, "end"), Spot(max(x1, x2) + 10, y + 4)]
    return (f'<line class="{kind}" x1="{x1}" y1="{ya}" x2="{tip}" y2="{ya}"><title>{esc(subject)}: {esc(words)}</title>'
            f'</line><path class="{kind}-head" d="M{tip},{ya - 4} L{x2},{ya} L{tip},{ya + 4} z"/>'
            + label(labels, words, spots, f"{kind}-label"))


def _milestone(subject: str, what: str, on: str, x: float, y: float, labels: Labels) -> str:
    tip = f'<title>{esc(subject)}: {esc(what)} {esc(on)}</title>'
    shape = MARK.get(what, "cross")
    if shape == "diamond":
        mark = f'<path class="actual revealed" d="M{x},{y - 7} L{x + 7},{y} L{x},{y + 7} L{x - 7},{y} z">{tip}</path>'
    elif shape == "square":
        mark = f'<rect class="actual {esc(what)}" x="{x - 6}" y="{y - 6}" width="12" height="12">{tip}</rect>'
    else:
        mark = f'<path class="ended" d="M{x - 6},{y - 6} L{x + 6},{y + 6} M{x - 6},{y + 6} L{x + 6},{y - 6}">{tip}</path>'
    spots = [Spot(x + 9, y + 16), Spot(x - 9, y + 16, "end"), Spot(x + 9, y - 8), Spot(x - 9, y - 8, "end")]
    return mark + label(labels, f"{what} {on}", spots, "actual-label")


def _undated_notes(slip: SubjectSlip) -> str:
    notes = [f"{m.what}, no date" + (f" ({m.note})" if m.note else "") for m in slip.milestones if not m.on]
    if slip.plans and not slip.plans[-1].planned_for and not any(m.on for m in slip.milestones):
        notes.append("planned, no date" if len(slip.plans) == 1 else "postponed, no date")
    if not slip.dated and not notes:
        notes.append("no date")
    return " · ".join(notes)


def _deadline_row(tracks: tuple[TargetTrack, ...], axis: TimeAxis, y0: float, labels: Labels) -> tuple[str, float]:
    """The target deadlines under the subject rows: a mark per deadline, a label per target staggered in
    lanes below it (left out, with the mark's tooltip naming it, past MAX_LANES); returns (svg, bottom)."""
    dated = [t for t in tracks if t.kpi["deadline"]]  # open targets have no deadline to mark
    out = [f'<line class="separator" x1="0" y1="{y0}" x2="{W}" y2="{y0}"/>',
           label(labels, "Target deadlines", [Spot(8, y0 + 18)], "subject")]
    for t in dated:
        current = axis.x(middle(t.kpi["deadline"]))
        for old in t.deadlines[:-1]:
            x = axis.x(middle(old))
            out.append(f'<line class="deadline old" x1="{x}" y1="{y0 + 6}" x2="{x}" y2="{y0 + 20}">'
                       f'<title>{esc(t.label)}: earlier deadline {esc(old)}</title></line>'
                       f'<line class="moved" x1="{x}" y1="{y0 + 13}" x2="{current}" y2="{y0 + 13}"/>')
    stack: dict[str, list[TargetTrack]] = {}
    for t in dated:
        stack.setdefault(t.kpi["deadline"], []).append(t)
    bottom = y0 + 24
    for deadline, group in stack.items():
        x = axis.x(middle(deadline))
        names = "; ".join(f'{t.label} ({t.kpi["status"]})' for t in group)
        out.append(f'<path class="deadline" d="M{x},{y0 + 4} L{x},{y0 + 20} M{x - 5},{y0 + 4} L{x + 5},{y0 + 4}">'
                   f'<title>{esc(deadline)}: {esc(names)}</title></path>')
        for t in group:
            words = f'{t.kpi["kpi"]}{" " + t.kpi["scope"] if t.kpi["scope"] else ""} · {t.kpi["status"]}'
            lanes = [y0 + 33 + LANE * i for i in range(MAX_LANES)]
            placed = label(labels, words, [Spot(x, y, a) for y in lanes for a in ("middle", "start", "end")],
                           "deadline-label", t.label)
            out.append(placed)
            if placed:
                bottom = max(bottom, labels.boxes[-1].bottom + 2)
    return "".join(out), bottom
