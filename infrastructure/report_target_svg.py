"""The report's chart of one target: its value across revisions, the actuals, the path it requires and the
observed trend (no JavaScript; labels never overlap)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Callable

from stratlog.application.report_data import TargetTrack, Trend
from stratlog.domain.dates import PartialDate
from stratlog.infrastructure.report_format import compact, esc, per_year
from stratlog.infrastructure.report_labels import Labels, Spot
from stratlog.infrastructure.report_svg import TimeAxis, as_of_line, label, middle, period_dates, svg

TW, TH, TOP, BOTTOM, LEFT, PAD = 580, 250, 30, 30, 66, 16
LIVE = ("pending", "on-track", "at-risk", "off-track")  # the statuses a trend still speaks to
SAMPLES = 24


def nice_scale(low: float, high: float) -> tuple[float, float, float]:
    """A value axis from 0 (or below, for negatives) to a round top with 2 to 5 steps of 1, 2, 2.5 or 5 × 10^k."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) * 1.08 or 1.0
    unit = 10 ** math.floor(math.log10(span / 5))
    step = next(f * unit for f in (1, 2, 2.5, 5, 10) if math.ceil(span / (f * unit)) <= 5)
    bottom = math.floor(low / step) * step
    return bottom, max(math.ceil(high * 1.08 / step) * step, bottom + step), step


def growth(trend: Trend, day: date) -> float:
    """The value a trend reaches on `day`, compounding from the middle of its actual's period."""
    years = (day - middle(trend.period)).days / 365.25
    try:
        return float(trend.number) * (1 + trend.rate / 100) ** years
    except OverflowError:
        return math.inf


def trends(track: TargetTrack) -> list[tuple[str, Trend]]:
    """The trends to draw: only for a live target with a deadline after the trend's start."""
    deadline = track.kpi["deadline"]
    if deadline is None or track.kpi["status"] not in LIVE:
        return []
    return [(kind, t) for kind, t in (("required", track.required), ("observed", track.observed))
            if t is not None and middle(deadline) > middle(t.period)]


def target_svg(track: TargetTrack, as_of: date) -> str:
    """A target's value as a step line over the dates its revisions were announced, dotted on to its
    deadline; the actuals of its KPI and scope as dots; while it is live, the path it requires from the
    latest actual (dashed) and the observed trend (dotted), each to the deadline."""
    steps, points, drawn = track.steps, [a for a in track.actuals if a.comparable], trends(track)
    axis = TimeAxis(period_dates([s.announced_on for s in steps] + [a.period for a in points] + list(track.deadlines)),
                    as_of, LEFT, TW - PAD)
    numbers = [float(n) for s in steps for n in (s.low, s.high) if n is not None] + [float(a.number) for a in points]
    ends = [growth(t, middle(track.kpi["deadline"])) for _, t in drawn]
    ceiling = max(numbers) * 1.5 if numbers else 1.0
    bottom, top, tick = nice_scale(min(numbers + [max(e, 0) for e in ends]), max(numbers + [min(e, ceiling) for e in ends]))

    def y(value) -> float:
        value = min(max(float(value), bottom), top)
        return round(TOP + (top - value) / (top - bottom) * (TH - TOP - BOTTOM), 1)

    labels, unit = Labels(TW, TH), track.kpi["unit"]
    parts = list(axis.ticks(TOP, TH - BOTTOM, TH - BOTTOM + 16, labels))
    parts += [f'<line class="grid" x1="{LEFT}" y1="{y(v)}" x2="{TW - PAD}" y2="{y(v)}"/>' +
              label(labels, compact(v, unit), [Spot(LEFT - 6, y(v) + 4, "end")], "value") for v in _ticks(bottom, top, tick)]
    parts += [_deadlines(track, axis, labels), as_of_line(axis, as_of, TOP, TH - BOTTOM, labels),
              _steps(track, axis, y, as_of, labels), _actual_dots(points, axis, y, unit, labels)]
    parts += [_trend(kind, t, track, axis, y, labels) for kind, t in drawn]
    return svg("target", TW, TH, track.label, "".join(parts))


def _ticks(bottom: float, top: float, tick: float) -> list[float]:
    count = round((top - bottom) / tick)
    return [bottom + i * tick for i in range(count + 1)]


def _deadlines(track: TargetTrack, axis: TimeAxis, labels: Labels) -> str:
    out = []
    if track.kpi["deadline"] is None:
        out.append(label(labels, "open: no deadline", [Spot(TW - 20, TOP - 4, "end")], "deadline-label"))
    else:
        current = PartialDate.parse(track.kpi["deadline"])
        x1, x2 = axis.x(current.start), axis.x(current.end + timedelta(days=1))
        words = f"deadline {current}"
        out.append(f'<rect class="deadline-period" x="{x1}" y="{TOP}" width="{max(x2 - x1, 2)}" '
                   f'height="{TH - TOP - BOTTOM}"><title>{esc(words)}</title></rect>')
        out.append(label(labels, words, [Spot((x1 + x2) / 2, TOP - 4, a) for a in ("middle", "end", "start")],
                         "deadline-label"))
    for old in track.deadlines[:-1]:
        x, words = axis.x(middle(old)), f"was {old}"
        out.append(f'<line class="deadline old" x1="{x}" y1="{TOP}" x2="{x}" y2="{TH - BOTTOM}"><title>'
                   f'{esc(track.label)}: earlier deadline {esc(old)}</title></line>')
        out.append(label(labels, words, [Spot(x, yy, "middle") for yy in (TOP - 16, TOP - 4, TOP + 11)], "deadline-label"))
    return "".join(out)


def _steps(track: TargetTrack, axis: TimeAxis, y, as_of: date, labels: Labels) -> str:
    out, corners, withdrawn, unit = [], [], None, track.kpi["unit"]
    for s in track.steps:
        x = axis.x(middle(s.announced_on))
        if s.change == "withdrawn":
            withdrawn = x
            break
        if s.low is None:
            continue
        corners.append((x, s))
        words = f"{s.change} {compact(s.value, unit)} · deadline {s.deadline or 'open'} · announced {s.announced_on}"
        out.append(f'<circle class="step" cx="{x}" cy="{y(s.high)}" r="4"><title>{esc(words)}</title></circle>')
        if s.change != "set":
            yh = y(s.high)
            out.append(label(labels, s.change, [Spot(x + 4, yh - 7), Spot(x + 4, yh - 18), Spot(x + 4, yh + 15),
                                                Spot(x - 4, yh - 7, "end")], "change", words))
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
            f'cy="{y(last.high)}" r="5"><title>{esc(track.label)}: {esc(compact(last.value, track.kpi["unit"]))}'
            f'</title></circle>')


def _step_path(corners: list, end: float, y, side: str) -> str:
    first_x, first = corners[0]
    d = [f"M{first_x},{y(getattr(first, side))}"] + [f"H{x} V{y(getattr(s, side))}" for x, s in corners[1:]]
    return f'<path class="step-line {side}" d="{" ".join(d)} H{end}"/>'


def _cross(x: float, y: float, words: str) -> str:
    return (f'<path class="ended" d="M{x - 5},{y - 5} L{x + 5},{y + 5} M{x - 5},{y + 5} L{x + 5},{y - 5}">'
            f'<title>{esc(words)}</title></path>')


def _actual_dots(points, axis: TimeAxis, y, unit: str, labels: Labels) -> str:
    if not points:
        return ""
    xy = [(axis.x(middle(a.period)), y(a.number), a) for a in points]
    out = [f'<polyline class="actual-line" points="{" ".join(f"{x},{v}" for x, v, _ in xy)}"/>']
    for x, v, a in xy:
        words = f"actual {a.period}: {compact(a.value, unit)} (announced {a.announced_on})"
        out.append(f'<circle class="actual-dot" cx="{x}" cy="{v}" r="4"><title>{esc(words)}</title></circle>')
        out.append(label(labels, compact(a.value, unit), [Spot(x, v - 8, "middle"), Spot(x, v + 16, "middle"),
                                                         Spot(x + 7, v + 4), Spot(x - 7, v + 4, "end")],
                         "actual-value", words))
    return "".join(out)


def _trend(kind: str, trend: Trend, track: TargetTrack, axis: TimeAxis, y: Callable, labels: Labels) -> str:
    """The required path (dashed) or the observed trend (dotted, coloured by the status) from the trend's
    actual to the deadline, sampled along the compounding curve and stopped at the chart's edge."""
    start, end = middle(trend.period), middle(track.kpi["deadline"])
    drawn = _to_goal(trend, track.kpi, end) if kind == "required" else trend
    points = []
    for i in range(SAMPLES + 1):
        day = start + (end - start) * i / SAMPLES
        points.append((axis.x(day), y(growth(drawn, day))))
        if points[-1][1] in (TOP, TH - BOTTOM) and i:
            break
    status = track.kpi["status"]
    words = f"needs {per_year(trend.rate)}" if kind == "required" else f"observed {per_year(trend.rate)}"
    css = "path-label required-label" if kind == "required" else f"path-label {status}"
    line_css = "required" if kind == "required" else f"observed {status}"
    tip = (f"{track.label}: the path the target requires from the actual of {trend.period}, {words}"
           if kind == "required" else f"{track.label}: the trend observed up to {trend.period}, {words}")
    x, ye = points[-1]
    spots = [Spot(x - 8, ye - 8, "end"), Spot(x - 8, ye + 15, "end"), Spot(x + 8, ye + 4),
             Spot(x - 8, ye - 20, "end"), Spot(x - 8, ye + 27, "end")]
    return (f'<polyline class="{line_css}" points="{" ".join(f"{px},{py}" for px, py in points)}">'
            f'<title>{esc(tip)}</title></polyline>' + label(labels, words, spots, css, tip))


def _to_goal(trend: Trend, kpi: dict, end: date) -> Trend:
    """The required trend at the unrounded rate that reaches the target's number exactly at `end` (the
    required_cagr shown is rounded to one decimal)."""
    k = kpi
    goal = k["value"] if k["value"] is not None else {"at-least": k["low"], "at-most": k["high"]}.get(k["comparator"])
    goal = goal.get("amount") if isinstance(goal, dict) else goal
    years = (end - middle(trend.period)).days / 365.25
    if goal is None or years <= 0 or float(goal) <= 0:
        return trend
    return Trend(trend.period, trend.number, ((float(goal) / float(trend.number)) ** (1 / years) - 1) * 100)
