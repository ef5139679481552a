"""The self-contained HTML report: one file, inline CSS and SVG charts, no script, no network request."""

from __future__ import annotations

import re

from stratlog.application.report_data import BrandReport, Report, SubjectSlip, TargetTrack
from stratlog.domain.picture import STATUSES
from stratlog.infrastructure.report_chart_style import SVG_CSS
from stratlog.infrastructure.report_format import PERCENT_UNITS, compact, compact_number, esc
from stratlog.infrastructure.report_scorecard import SCORECARD_CSS, comparison_section, scorecard_section
from stratlog.infrastructure.report_svg import timeline_svg
from stratlog.infrastructure.report_target_svg import target_svg

_WEB = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)
TONE_COLOURS = {"done": "background:#dcefe5;color:#1d5c40", "late": "background:#fbe9d6;color:#8a4412",
                "ended": "background:#f6dcdc;color:#8c2b2b"}
BADGE_CSS = "".join(",".join(f".s-{word}" for word, tone in STATUSES.items() if tone == name) + f"{{{colours}}}\n"
                    for name, colours in TONE_COLOURS.items())
KPI_COLUMNS = ("kpi", "scope", "deadline", "horizon", "comparator", "target", "unit", "actual", "period",
               "needs %/yr", "observed %/yr", "status")
AUDIT_COLUMNS = ("kpi", "scope", "change", "old value", "new value", "old deadline", "new deadline", "announced",
                 "recorded", "source", "statement")
LEGEND = '<div class="legend">' + "".join(
    f'<span><svg class="chart key" viewBox="-2 -9 34 18">{icon}</svg>{words}</span>' for icon, words in (
        ('<circle class="plan" cx="6" cy="0" r="5" opacity="0.35"/><circle class="plan" cx="20" cy="0" r="5"/>',
         "planned date as announced (older ones faded)"),
        ('<rect class="plan-period" x="0" y="-3" width="28" height="6" rx="3"/>', "period of the latest plan"),
        ('<path class="slip" d="M0,0 H24"/><path class="slip-head" d="M22,-5 L30,0 L22,5 z"/>',
         "slip from the first to the latest plan"),
        ('<path class="actual revealed" d="M14,-7 L21,0 L14,7 L7,0 z"/>', "revealed"),
        ('<rect class="actual" x="8" y="-6" width="12" height="12"/>', "launched / entered"),
        ('<path class="ended" d="M8,-6 L20,6 M8,6 L20,-6"/>', "cancelled / discontinued / exited"),
        ('<path class="asof" d="M14,-9 V9"/>', "as-of date"),
        ('<path class="deadline" d="M14,-8 V8 M9,-8 H19"/>', "target deadline"))) + "</div>"
TARGET_LEGEND = '<div class="legend">' + "".join(
    f'<span><svg class="chart key" viewBox="-2 -9 34 18">{icon}</svg>{words}</span>' for icon, words in (
        ('<path class="step-line" d="M0,4 H14 V-4 H30"/>', "the target as set and revised"),
        ('<circle class="actual-dot" cx="14" cy="0" r="4"/>', "actual reported"),
        ('<path class="required" d="M0,4 L30,-4"/>', "path the target requires from the latest actual"),
        ('<path class="observed on-track" d="M0,4 L30,-4"/>', "trend observed between the last two annual actuals"),
        ('<circle class="goal-mark" cx="14" cy="0" r="5"/>', "the target at its deadline"))) + "</div>"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
CSS = """
:root{--ink:#1f2933;--muted:#66717f;--line:#d9dee5;--paper:#fff;--band:#f5f7f9;--plan:#3b6ea8;--slip:#c0622b;
--early:#2f7d5b;--actual:#2f7d5b;--deadline:#6b4fa3;--asof:#b83a3a}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:var(--band)}header{background:#23344a;color:#fff;padding:20px 32px;display:flex;gap:32px;align-items:flex-end;
flex-wrap:wrap}header h1{margin:0;font-size:26px}header .parent{color:#c4cfdc;font-size:14px}
.asof-box{margin-left:auto;text-align:right}.asof-box .big{font-size:24px;font-weight:700;color:#ffd98a}
.asof-box .known{color:#c4cfdc;font-size:12px}main{max-width:1280px;margin:0 auto;padding:8px 24px 40px}
section{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
h2{margin:0 0 10px;font-size:18px}h3{margin:0 0 2px;font-size:15px}.note{color:var(--muted);font-size:12.5px}
.facts{display:flex;gap:28px;flex-wrap:wrap}.facts div span{display:block;color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;
border-bottom:1px solid var(--line);vertical-align:top;unicode-bidi:isolate}th{color:var(--muted);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}code{font-size:12px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#e8ecf1}
""" + BADGE_CSS + """.flag{color:var(--slip);font-weight:600}.grid2{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:16px}
figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:10px}svg.chart{width:100%;height:auto;display:block}
.legend{display:flex;flex-wrap:wrap;gap:6px 20px;margin:6px 0 10px;color:var(--muted);font-size:12px}
.legend svg.chart.key{width:30px;height:16px;display:inline-block;vertical-align:middle;margin-right:4px}
@page{size:A4;margin:12mm}
@media print{body{background:#fff;font-size:12px}header{print-color-adjust:exact;-webkit-print-color-adjust:exact}
main{max-width:none;padding:0}section{break-inside:auto;border:none;padding:8px 0;margin:8px 0}
h2,h3,summary{break-after:avoid}figure,.facts,.legend,tr{break-inside:avoid}
.grid2{display:block}.grid2 figure{margin:0 0 10px}
table{table-layout:auto;font-size:10.5px}th,td{padding:3px 4px}td{overflow-wrap:anywhere}
a{color:inherit;text-decoration:none}.badge,.chart{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
""" + SVG_CSS  # the legend's icons; each chart also carries these styles itself


def render_report(report: Report) -> str:
    """The whole page; every piece of data text goes through `esc`."""
    names = ", ".join(b.state.get("name") or b.brand for b in report.brands) or "no brand"
    body = comparison_section(report) + "".join(_brand(b, report) for b in report.brands) or '<section><p class="note">No brand registered.</p></section>'
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>stratlog report: {esc(names)} as of {report.as_of.isoformat()}</title><style>{CSS}{SCORECARD_CSS}</style></head>'
            f'<body>{_header(report, names)}<main>{body}</main></body></html>\n')


def _header(report: Report, names: str) -> str:
    parents = sorted({b.state.get("parent") for b in report.brands if b.state.get("parent")})
    known = report.known_at.strftime("%Y-%m-%d %H:%M:%S UTC") if report.known_at.utcoffset() is not None else report.known_at
    return (f'<header><div><div class="note" style="color:#c4cfdc">stratlog strategy report</div><h1>{esc(names)}</h1>'
            f'<div class="parent">{esc(", ".join(parents))}</div></div><div class="asof-box">'
            f'<div>As of</div><div class="big">{report.as_of.strftime("%-d %B %Y")} ({report.as_of.isoformat()})</div>'
            f'<div class="known">what had been announced by the end of that day · database as known at {esc(known)}</div>'
            f'</div></header>')


def _brand(b: BrandReport, report: Report) -> str:
    title = f"<h2>{esc(b.state.get('name') or b.brand)} <span class='note'>({esc(b.brand)})</span></h2>"
    return (scorecard_section(b) + f'<section>{title}{_facts(b.state)}</section>'
            f'<section><h2>Timeline: planned and actual dates</h2>{_timeline(b, report)}</section>'
            f'<section><h2>Targets across their revisions</h2>{_targets(b, report)}</section>'
            f'<section><h2>KPI status as of {report.as_of.isoformat()}</h2>{_kpi_table(b.kpis, b.targets)}</section>'
            f'<section><h2>Audit of target statements</h2>{_audit_table(b.audit)}</section>'
            f'<section><h2>Sources</h2>{_sources(b)}</section>')


def _facts(state: dict) -> str:
    valuation = state.get("valuation")
    ipo = state.get("ipo")
    facts = [("Latest valuation", f"{compact(valuation)} ({valuation['valued_on']})" if valuation else "none reported"),
             ("IPO stance", " · ".join(str(x) for x in (ipo["stance"], ipo.get("by"), ipo.get("announced_on")) if x)
              if ipo else "none stated"),
             ("Dealer agreements", ", ".join(f"{d['dealer']}/{d['market']} ({d['status']})"
                                             for d in state.get("dealer_agreements", [])) or "none"),
             ("Targets", str(len(state.get("targets", []))))]
    return '<div class="facts">' + "".join(f"<div><span>{k}</span>{esc(v)}</div>" for k, v in facts) + "</div>"


def _timeline(b: BrandReport, report: Report) -> str:
    if not b.subjects and not b.targets:
        return '<p class="note">No model, market or target announced by this date.</p>'
    rows = "".join(_plan_row(s) for s in b.subjects)
    table = ("<details open><summary class='note'>Plans as announced, subject by subject</summary><table><tr>"
             "<th>subject</th><th>type</th><th>status</th><th>planned dates as announced</th><th>what happened</th>"
             f"</tr>{rows}</table></details>") if b.subjects else ""
    return timeline_svg(b, report.as_of) + LEGEND + table


def _plan_row(s: SubjectSlip) -> str:
    plans = " → ".join(f"{esc(p.planned_for or 'no date')} <span class='note'>(announced {esc(p.announced_on)})</span>"
                       for p in s.plans) or "<span class='note'>no plan stated</span>"
    happened = ", ".join(f"{esc(m.what)} {esc(m.on or _no_date(m.note))}" for m in s.milestones) or "—"
    return (f"<tr><td><strong>{esc(s.subject)}</strong></td><td>{esc(s.subject_type)}</td><td>{_badge(s.status)}</td>"
            f"<td>{plans}</td><td>{happened}</td></tr>")


def _no_date(note: str | None) -> str:
    return f"(no date; {note})" if note else "(no date)"


def _targets(b: BrandReport, report: Report) -> str:
    """A chart card per numeric target; yes/no (and other non-numeric) targets as rows of one table."""
    if not b.targets:
        return '<p class="note">No target announced by this date.</p>'
    charted = [t for t in b.targets if t.numeric]
    cards = (TARGET_LEGEND + '<div class="grid2">' + "".join(_target_card(t, report) for t in charted) + "</div>"
             if charted else "")
    return cards + _yes_no_table([t for t in b.targets if not t.numeric])


def _terms(k: dict) -> str:
    shown = _target_value(k)
    unit = "" if k["unit"] in ("yes/no", None, *PERCENT_UNITS) or str(k["unit"]) in shown else f" {k['unit']}"
    return f"{k['comparator'].replace('-', ' ')} {shown}{unit} {k['horizon']} {k['deadline'] or 'open'}"


def _target_card(t: TargetTrack, report: Report) -> str:
    others = [a for a in t.actuals if not a.comparable]
    aside = ("<p class='note'>Actuals in another unit, not plotted: " +
             ", ".join(f"{esc(a.period)}: {esc(compact(a.value))}" for a in others) + "</p>") if others else ""
    revisions = sum(1 for s in t.steps if s.change != "set")
    return (f"<figure><h3>{esc(t.label)} {_badge(t.kpi['status'])}</h3><div class='note'>{esc(_terms(t.kpi))} · "
            f"{revisions} revision(s) · {len(t.actuals)} actual(s) reported</div>{target_svg(t, report.as_of)}{aside}</figure>")


def _yes_no_table(tracks: list[TargetTrack]) -> str:
    """Targets with no number to chart (yes/no): terms, status, what was said and the latest actual."""
    if not tracks:
        return ""
    body = "".join(f"<tr><td><strong>{esc(t.label)}</strong></td><td>{esc(_terms(t.kpi))}</td>"
                   f"<td>{_badge(t.kpi['status'])}</td><td>{esc(_said_over_time(t))}</td>"
                   f"<td>{esc(_latest_actual(t.kpi))}</td></tr>" for t in tracks)
    return "<h3>Yes/no targets</h3>" + _table(("target", "terms", "status", "as stated", "latest actual"), body)


def _said_over_time(t: TargetTrack) -> str:
    return "; ".join(f"{s.change} {compact(s.value)} ({s.announced_on})" for s in t.steps)


def _latest_actual(k: dict) -> str:
    return f"{compact(k['actual'], k['unit'])} ({k['actual_period']})" if k["actual_period"] else "none reported"


def _target_value(row: dict) -> str:
    value = row["value"] if row["value"] is not None else {"low": row["low"], "high": row["high"]}
    return compact(value, row["unit"])


def _kpi_table(rows, tracks: tuple[TargetTrack, ...] = ()) -> str:
    """The kpis rows, with the observed growth of each target's track (empty when not computable)."""
    observed = {t.kpi["identity"]: t.observed_cagr for t in tracks}
    if not rows:
        return '<p class="note">No targets.</p>'
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in (r["kpi"], r["scope"] or "", r["deadline"] or "open", r["horizon"],
                                                          r["comparator"]))
        + f"<td class='num'>{esc(_target_value(r))}</td><td>{esc(r['unit'])}</td>"
        + f"<td class='num'>{esc(compact(r['actual'], r['unit']))}</td><td>{esc(r['actual_period'] or '')}</td>"
        + f"<td class='num'>{_rate(r['required_cagr'])}</td><td class='num'>{_rate(observed.get(r['identity']))}</td>"
        + f"<td>{_badge(r['status'])}</td></tr>" for r in rows)
    return _table(KPI_COLUMNS, body)


def _rate(rate: float | None) -> str:
    """A growth rate in percent per year for a %/yr column: +25.7, -3; empty when not computable."""
    return "" if rate is None else esc(f"{'+' if rate > 0 else ''}{compact_number(round(rate, 1))}")


def _said(row: dict, prefix: str):
    """An audit row's old or new value: the value, or the range {low, high}."""
    if row.get(f"{prefix}value") is not None or row.get(f"{prefix}low") is None:
        return row.get(f"{prefix}value")
    return {"low": row[f"{prefix}low"], "high": row[f"{prefix}high"]}


def _audit_table(rows) -> str:
    if not rows:
        return '<p class="note">No target statements.</p>'
    body = "".join(
        f"<tr><td>{esc(r['kpi'])}</td><td>{esc(r['scope'] or '')}</td><td>{_change(r)}</td>"
        f"<td class='num'>{esc(compact(_said(r, 'old_')))}</td><td class='num'>{esc(compact(_said(r, 'new_')))}</td>"
        f"<td>{esc(r['old_deadline'] or '')}</td><td>{esc(r['new_deadline'] or '')}</td><td>{esc(r['announced_on'] or '')}</td>"
        f"<td class='note'>{esc(r['recorded_at'])}</td><td>{_link(r.get('source'), r.get('source_url'))}</td>"
        f"<td><code>{esc((r['statement_id'] or '')[:8])}</code></td></tr>" for r in rows)
    fixes = any(r.get("flagged") for r in rows)
    return _table(AUDIT_COLUMNS, body) + ("<p class='note'>Rows marked <span class='flag'>our fix</span> are our "
                                           "corrections and retractions, not revisions by the brand.</p>" if fixes else "")


def _change(row: dict) -> str:
    flag = " <span class='flag'>our fix</span>" if row.get("flagged") else ""
    return f"{esc(row['change'])}{flag}"


def _sources(b: BrandReport) -> str:
    if not b.sources:
        return '<p class="note">No source counted by this date.</p>'
    body = "".join(
        f"<tr><td>{esc(s.title or '')}</td><td>{esc(s.publisher or '')}</td><td>{_link(s.url, s.url)}</td>"
        f"<td>{esc(', '.join(s.speakers))}</td><td>{esc(s.published_on or '')}</td>"
        f"<td>{esc(s.first_announced or '')}</td><td class='num'>{s.statements}</td></tr>" for s in b.sources)
    return _table(("title", "publisher", "link", "speakers", "published", "first statement", "statements"), body)


def _link(text, url) -> str:
    """A source's own link; only http(s) addresses become anchors, and they never send a referrer."""
    if url and _WEB.match(url):
        return f'<a href="{esc(url)}" rel="noreferrer noopener" target="_blank">{esc(text or url)}</a>'
    return esc(text or url or "")


def _badge(status) -> str:
    kind = status if status in STATUSES else "other"
    return f'<span class="badge s-{kind}">{esc(status or "")}</span>'


def _table(columns, body: str) -> str:
    return "<table><tr>" + "".join(f"<th>{esc(c)}</th>" for c in columns) + f"</tr>{body}</table>"
