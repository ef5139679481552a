"""The report's scorecard in HTML: each brand's track record, what changed since the previous quarter, stale
plans; with several brands, their records side by side and a table of contents first."""

from __future__ import annotations

import re

from stratlog.application.report_data import BrandReport, Report
from stratlog.application.scorecard import Scorecard
from stratlog.domain.jsonvalues import display
from stratlog.domain.track_record import FIGURES
from stratlog.infrastructure.report_svg import esc

LABELS = {"targets_judged": "targets judged", "achieved": "· achieved", "missed": "· missed",
          "withdrawn": "· withdrawn", "overdue": "targets overdue", "kept_rate": "kept rate", "cuts": "cuts",
          "raises": "raises", "plans_delivered": "plans delivered", "on_time": "· on time", "late": "· late",
          "cancelled": "plans cancelled", "plans_overdue": "plans overdue", "mean_slip_months": "mean slip"}
UNITS = {"kept_rate": " %", "mean_slip_months": " months"}
SCORECARD_CSS = """
.scorecard .summary{font-size:15px;margin:4px 0 12px}.record{max-width:560px}.record td.delta{color:var(--muted)}
.changes{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:8px 24px}
.changes h3{margin-top:8px}.changes ul{margin:4px 0;padding-left:18px}.cut{color:#8c2b2b}.raise{color:#1d5c40}
.toc ol{margin:4px 0;padding-left:22px;columns:2}.side th a{color:inherit}
"""


def brand_anchor(brand: str) -> str:
    """The id of a brand's first section: `brand-` and the slug, other characters as _hex (so ids differ)."""
    return "brand-" + re.sub(r"[^a-z0-9-]", lambda m: f"_{ord(m.group()):x}", brand)


def figure_text(row: dict, name: str) -> str:
    """A figure as the report shows it: a count, `33.3 %`, `9.5 months`, or — when nothing counts."""
    value = row.get(name)
    return "—" if value is None else f"{value}{UNITS.get(name, '')}"


def summary(row: dict) -> str:
    """The track record in one sentence."""
    kept = (f"kept {row['achieved']} of {row['targets_judged']} targets judged ({figure_text(row, 'kept_rate')})"
            if row["targets_judged"] else "no target judged yet")
    slip = f"; mean slip {figure_text(row, 'mean_slip_months')}" if row["mean_slip_months"] is not None else ""
    return (f"{kept.capitalize()}, {row['overdue']} overdue; {row['cuts']} cut(s), {row['raises']} raise(s). "
            f"Plans: {row['plans_delivered']} delivered ({row['on_time']} on time, {row['late']} late), "
            f"{row['cancelled']} cancelled, {row['plans_overdue']} overdue{slip}.")


def scorecard_section(b: BrandReport, with_anchor: bool = True) -> str:
    """A brand's scorecard: the summary, every figure now and at the previous quarter's end, then the changes."""
    card: Scorecard | None = b.scorecard
    if card is None:
        return ""
    now, then = card.record, card.previous
    rows = "".join(
        f"<tr><td>{esc(LABELS[f])}</td><td class='num' data-figure='{f}'>{esc(figure_text(now, f))}</td>"
        f"<td class='num'>{esc(figure_text(then, f))}</td><td class='num delta'>{_delta(now, then, f)}</td></tr>"
        for f in FIGURES)
    anchor = f" id='{brand_anchor(b.brand)}'" if with_anchor else ""
    return (f"<section class='scorecard'{anchor}><h2>{esc(b.state.get('name') or b.brand)} "
            f"<span class='note'>({esc(b.brand)})</span>: track record as of {esc(now['as_of'])}</h2>"
            f"<p class='summary' data-scorecard='summary'>{esc(summary(now))}</p>"
            f"<table class='record'><tr><th>figure</th><th>as of {esc(now['as_of'])}</th>"
            f"<th>as of {esc(then['as_of'])}</th><th>change</th></tr>{rows}</table>{_changes(card)}</section>")


def _delta(now: dict, then: dict, name: str) -> str:
    a, b = now.get(name), then.get(name)
    if a is None or b is None or a == b:
        return ""
    step = round(a - b, 1) if isinstance(a, float) or isinstance(b, float) else a - b
    return esc(f"{'+' if step > 0 else ''}{step}")


def _changes(card: Scorecard) -> str:
    since = card.since.isoformat()
    revisions = [f"<li class='{r['direction']}' data-change='{r['direction']}'>{esc(r['direction'])}: "
                 f"{esc(_target(r))} — {esc(r['change'])}{esc(_moved(r))} (announced {esc(r['announced_on'])})</li>"
                 for r in card.revisions]
    slips = [f"<li data-change='slip'>{esc(s.subject)} ({esc(s.subject_type)}): {esc(s.why)} — {esc(_slip(s))}</li>"
             for s in card.slips]
    said = [f"<li>{esc(s['kind'])} {esc(s['subject'])} ({esc(s['announced_on'])})</li>" for s in card.new_statements]
    more = card.new_statement_count - len(card.new_statements)
    stale = [f"<li class='flag' data-change='stale'>{esc(r['message'])}</li>" for r in card.stale]
    return ("<div class='changes'>"
            + _list(f"Targets cut or raised since {since}", revisions, "none")
            + _list(f"Plans slipped since {since}", slips, "none")
            + _list(f"New statements since {since}: {card.new_statement_count}", said + (
                [f"<li class='note'>and {more} earlier</li>"] if more > 0 else []), "none")
            + _list("Stale plans (nothing stated since their date passed)", stale, "none") + "</div>")


def _slip(slip) -> str:
    if slip.why == "now overdue":
        return f"planned for {slip.after}, passed"
    return f"{slip.before or 'no date'} → {slip.after or 'no date'}"


def _list(title: str, items: list[str], empty: str) -> str:
    body = f"<ul>{''.join(items)}</ul>" if items else f"<p class='note'>{esc(empty)}</p>"
    return f"<div><h3>{esc(title)}</h3>{body}</div>"


def _target(row: dict) -> str:
    return " ".join(str(p) for p in (row["kpi"], row.get("scope"), row.get("deadline") or "open") if p)


def _moved(row: dict) -> str:
    if row["change"] == "deadline-moved":
        return f" {row['old_deadline'] or 'open'} → {row['new_deadline'] or 'open'}"
    old = row.get("old_value") if row.get("old_value") is not None else row.get("old_low")
    new = row.get("new_value") if row.get("new_value") is not None else row.get("new_low")
    return f" {_number(old)} → {_number(new)}" if old is not None and new is not None else ""


def _number(value) -> str:
    return display(value)


def comparison_section(report: Report) -> str:
    """With several brands: a table of contents and their track records side by side (one column each)."""
    cards = [b for b in report.brands if b.scorecard is not None]
    if len(cards) < 2:
        return ""
    toc = "".join(f"<li><a href='#{brand_anchor(b.brand)}'>{esc(b.state.get('name') or b.brand)}</a></li>"
                  for b in cards)
    head = "".join(f"<th><a href='#{brand_anchor(b.brand)}'>{esc(b.brand)}</a></th>" for b in cards)
    rows = "".join(f"<tr><td>{esc(LABELS[f])}</td>" + "".join(
        f"<td class='num' data-brand='{esc(b.brand)}' data-figure='{f}'>{esc(figure_text(b.scorecard.record, f))}</td>"
        for b in cards) + "</tr>" for f in FIGURES)
    return (f"<section class='toc'><h2>Contents</h2><ol>{toc}</ol></section>"
            f"<section class='side'><h2>Track records side by side, as of {report.as_of.isoformat()}</h2>"
            f"<table><tr><th>figure</th>{head}</tr>{rows}</table></section>")
