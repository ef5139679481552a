"""The styles every report chart carries inside its own SVG, so a chart copied out renders the same."""

from __future__ import annotations

# Font size in px of each class of chart text: the CSS below and the label placer both read them.
TEXT_SIZES = {"year": 11, "value": 11, "subject": 12.5, "status": 11, "nodate": 11, "asof-label": 11,
              "slip-label": 10, "early-label": 10, "same-label": 10, "actual-label": 10, "change": 10,
              "actual-value": 10, "deadline-label": 10.5, "path-label": 10}
BOLD = {"subject", "asof-label"}
INK, MUTED, PLAN, SLIP, EARLY, DONE, DEADLINE, ASOF = ("#1f2933", "#66717f", "#3b6ea8", "#c0622b", "#2f7d5b",
                                                     "#2f7d5b", "#6b4fa3", "#b83a3a")
TREND = {"on-track": "#2f7d5b", "at-risk": "#c0622b", "off-track": "#b83a3a", "pending": MUTED}

_RULES = f"""
.chart text{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:11px;fill:{INK}}}
.chart .year,.chart .value,.chart .status{{fill:{MUTED}}}.chart .subject{{font-weight:600}}
.chart .grid{{stroke:#e6e9ee}}.chart .stripe{{fill:#f7f9fb}}.chart .plain{{fill:#fff}}
.chart .plan{{fill:#fff;stroke:{PLAN};stroke-width:2}}.chart .plan-period{{fill:#c9dbef}}
.chart .slip{{stroke:{SLIP};stroke-width:1.6}}.chart .early{{stroke:{EARLY};stroke-width:1.6}}
.chart .slip-head{{fill:{SLIP}}}.chart .early-head{{fill:{EARLY}}}.chart .same{{stroke:#8a94a3;stroke-width:1.4}}
.chart .same-head{{fill:#8a94a3}}.chart .same-label{{fill:{MUTED}}}.chart .slip-label{{fill:{SLIP}}}
.chart .early-label{{fill:{EARLY}}}
.chart .nodate,.chart .deadline-label,.chart .asof-label,.chart .slip-label,.chart .early-label,.chart .same-label,
.chart .actual-label,.chart .change,.chart .actual-value,.chart .path-label{{paint-order:stroke;stroke:#fff;
stroke-width:3px;stroke-linejoin:round}}
.chart .actual{{fill:{DONE}}}.chart .revealed{{fill:#2c8c99}}.chart .actual-label{{fill:{DONE}}}
.chart .ended{{stroke:{ASOF};stroke-width:2.2;fill:none}}.chart .nodate{{font-style:italic;fill:{MUTED}}}
.chart .asof{{stroke:{ASOF};stroke-width:1.5;stroke-dasharray:5 4}}.chart .asof-label{{fill:{ASOF};font-weight:600}}
.chart .separator{{stroke:#d9dee5}}.chart .deadline{{stroke:{DEADLINE};stroke-width:2;fill:none}}
.chart .deadline.old,.chart .moved{{stroke:{DEADLINE};opacity:.35;stroke-dasharray:3 3}}
.chart .deadline-label{{fill:{DEADLINE}}}.chart .deadline-period{{fill:{DEADLINE};opacity:.08}}
.chart .step-line{{fill:none;stroke:{PLAN};stroke-width:2.4}}.chart .step-line.low{{stroke-dasharray:4 3}}
.chart .step{{fill:{PLAN}}}.chart .goal{{stroke:{PLAN};stroke-width:1.5;stroke-dasharray:2 4;fill:none}}
.chart .goal-mark{{fill:#fff;stroke:{DEADLINE};stroke-width:2.5}}.chart .change{{fill:{PLAN}}}
.chart .actual-dot{{fill:{INK}}}.chart .actual-line{{fill:none;stroke:{MUTED};stroke-width:1}}
.chart .required{{fill:none;stroke:{DEADLINE};stroke-width:1.8;stroke-dasharray:7 4}}
.chart .observed{{fill:none;stroke-width:1.8;stroke-dasharray:2 3}}.chart .required-label{{fill:{DEADLINE}}}
""" + "".join(f".chart .observed.{k}{{stroke:{v}}}.chart .path-label.{k}{{fill:{v}}}" for k, v in TREND.items())
SVG_CSS = (_RULES.replace("\n", "") + "".join(f".chart .{name}{{font-size:{size}px}}" for name, size in TEXT_SIZES.items()))
