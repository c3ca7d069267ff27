"""The HTML report's feature-health views: a feature x month drift heatmap and, per feature, small
multiples (the mean with its p5-p95 band by month; the default and NaN shares by month).

Inline SVG and CSS only, like the coverage heatmap. A cell's colour is its drift score
(runner.validate.feature_health.judge): below 1 no check reached info, 1-2 info, from 2 warn;
the legend prints the thresholds the report was computed with (the feature_health_* vars).
A flagged cell links to its feature's small multiples (``#feature-<index>``).
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable, Sequence

from runner.validate.feature_health import KIND_LABEL, PHASE_LABEL, flag_text
from runner.validate.render.summary import fmt_value
from runner.validate.report import FeatureHealth, FeatureMonth

# drift score -> colour, one band per verdict (a cell's band says its verdict at a glance): greens
# below info (darker nearer the threshold), yellow to orange for info, red to dark red for warn
# (dark red at twice the warn threshold, or a unit error)
SCORE_BANDS: tuple[tuple[float, float, str, str], ...] = (
    (0.0, 1.0, "#f0fdf4", "#86efac"),
    (1.0, 2.0, "#fde047", "#f97316"),
    (2.0, 3.0, "#dc2626", "#7f1d1d"),
)
NOT_JUDGED_COLOUR = "#e5e7eb"
SEVERITY_COLOUR = {"warn": "#dc2626", "info": "#ca8a04"}
CHART = (300, 96)   # width, height of one small multiple
PAD = (34, 8, 6, 14)  # left, right, top, bottom


def score_colour(score: float | None) -> str:
    if score is None:
        return NOT_JUDGED_COLOUR
    score = min(max(score, 0.0), SCORE_BANDS[-1][1])
    for lo, hi, lo_hex, hi_hex in SCORE_BANDS:
        if score < hi or hi == SCORE_BANDS[-1][1]:
            return _mix(lo_hex, hi_hex, (score - lo) / (hi - lo))
    return SCORE_BANDS[-1][3]


def anchor(index: int) -> str:
    return f"feature-{index}"


def drift_heatmap(health: FeatureHealth | None, esc: Callable[[object], str]) -> str:
    head = '<section id="feature-drift-heatmap"><h2>Feature drift by month</h2>'
    if health is None or not health.months:
        return head + "<p>No feature-store months in this report.</p></section>"
    buckets = _buckets(health)
    features = sorted({(m.index, m.feature) for m in health.months})
    cells = {(m.index, m.month, m.phase): m for m in health.months}
    seasons: dict[str, int] = defaultdict(int)
    for month, _ in buckets:
        seasons[_season_label(month)] += 1
    out = [head, _legend(health.thresholds, esc), '<div class="scroll"><table class="heatmap drift">',
           '<thead><tr><th rowspan="2">feature</th>']
    out += [f'<th colspan="{n}" class="season">{esc(s)}</th>' for s, n in seasons.items()]
    out.append("</tr><tr>")
    for month, phase in buckets:
        label = _month_label(month) + ("·P" if phase == "playoffs" else "")
        out.append(f'<th class="month" title="{esc(f"{month} {PHASE_LABEL.get(phase, phase)}")}">{esc(label)}</th>')
    out.append("</tr></thead><tbody>")
    for index, name in features:
        out.append(f'<tr><th class="table"><a href="#{anchor(index)}">#{index} {esc(name)}</a></th>')
        out += [_cell(index, name, month, phase, cells.get((index, month, phase)), esc) for month, phase in buckets]
        out.append("</tr>")
    out.append("</tbody></table></div></section>")
    return "".join(out)


def _cell(index: int, name: str, month: str, phase: str, m: FeatureMonth | None, esc: Callable[[object], str]) -> str:
    where = f'data-feature="{esc(name)}" data-index="{index}" data-month="{esc(month)}" data-phase="{esc(phase)}"'
    if m is None:
        return f'<td class="cell none" {where} data-score="" title="{esc(f"{name} · {month}: no rows")}"></td>'
    severity = "warn" if any(f.severity == "warn" for f in m.flags) else "info" if m.flags else ""
    colour = score_colour(m.score)
    style = f"background:{colour};color:{_text_colour(colour)}"
    score = "" if m.score is None else f"{m.score:.2f}"
    label = {"warn": "!", "info": "i"}.get(severity, "")
    body = f'<a href="#{anchor(index)}">{label}</a>' if severity else ""
    return (f'<td class="cell" {where} data-score="{score}" data-severity="{severity}" '
            f'title="{esc(tooltip(m))}" style="{style}">{body}</td>')


def tooltip(m: FeatureMonth) -> str:
    parts = [f"{m.feature} (#{m.index}) · {m.month} {PHASE_LABEL.get(m.phase, m.phase)}: {m.rows:,} rows",
             f"NaN {_pct(m.nan_pct)} (baseline {_pct(m.baseline_nan_pct)}), "
             f"default {_pct(m.default_pct)} (baseline {_pct(m.baseline_default_pct)})",
             f"mean {fmt_value(m.mean)} (baseline {fmt_value(m.baseline_mean)}), p5-p95 {fmt_value(m.p5)}-{fmt_value(m.p95)}",
             f"z {fmt_value(m.zscore)}, PSI {fmt_value(m.psi)}, score {fmt_value(m.score)}",
             "baseline: " + (", ".join(m.baseline_months) or "none (not judged)")]
    parts += [flag_text(m, f) for f in m.flags]
    return "\n".join(parts)


def _legend(th: dict[str, float], esc: Callable[[object], str]) -> str:
    top = SCORE_BANDS[-1][1]
    stops = "".join(f'<stop offset="{100 * lo / top:g}%" stop-color="{a}"/><stop offset="{100 * hi / top:g}%" '
                    f'stop-color="{b}"/>' for lo, hi, a, b in SCORE_BANDS)
    labels = ((0.0, "0"), (1.0, "info"), (2.0, "warn"), (3.0, "2× warn"))
    ticks = "".join(f'<text x="{10 + 300 * s / top:g}" y="34" text-anchor="middle">{t}</text>' for s, t in labels)
    rules = (f"info: |z| ≥ {th.get('zscore_info', 0):g}, PSI ≥ {th.get('psi_info', 0):g}, NaN or default share "
             f"+{th.get('share_jump_info_pct', 0):g} points; warn: |z| ≥ {th.get('zscore_warn', 0):g}, "
             f"PSI ≥ {th.get('psi_warn', 0):g}, share +{th.get('share_jump_warn_pct', 0):g} points, or a unit "
             f"error (a fraction's p95 above 1, a 0-100 feature's below 1). Baseline: the previous "
             f"{th.get('baseline_months', 0):g} months of the same phase (·P: playoffs); ")
    return (
        '<div class="legend"><svg width="330" height="40" role="img" aria-label="drift score colour scale">'
        f'<defs><linearGradient id="drift-scale">{stops}</linearGradient></defs>'
        f'<rect x="10" y="4" width="300" height="16" fill="url(#drift-scale)" stroke="#9ca3af"/>{ticks}</svg>'
        f"<span>drift score: the worst check of the month. {esc(rules)}"
        f'<span class="swatch" style="background:{NOT_JUDGED_COLOUR}"></span> not judged (fewer than '
        f"{th.get('min_baseline_months', 0):g} baseline months or {th.get('min_rows', 0):g} values). "
        "A flagged cell (i, !) links to its feature.</span></div>"
    )


def feature_details(health: FeatureHealth | None, esc: Callable[[object], str]) -> str:
    """Per feature: the mean and its p5-p95 band by month, then the default (bars) and NaN (line)
    shares by month; flagged months are marked with their severity's colour."""
    if health is None or not health.months:
        return ""
    buckets = _buckets(health)
    by_feature: dict[tuple[int, str], dict[tuple[str, str], FeatureMonth]] = defaultdict(dict)
    for m in health.months:
        by_feature[(m.index, m.feature)][(m.month, m.phase)] = m
    out = ['<section id="feature-details"><h2>Feature distributions by month</h2>',
           '<p class="meta">Each feature: the mean (line) with its p5-p95 band, then the default share (bars) '
           'and the NaN share (line), 0-100 %, one point per month and phase in time order; a dot marks a '
           'flagged month (amber info, red warn).</p><div class="multiples">']
    for (index, name), months in sorted(by_feature.items()):
        flagged = [m for m in months.values() if m.flags]
        worst = "warn" if any(f.severity == "warn" for m in flagged for f in m.flags) else "info" if flagged else ""
        notes = "".join(f"<li>{esc(flag_text(m, f))}</li>" for m in flagged for f in m.flags)
        out.append(
            f'<figure class="feature {worst}" id="{anchor(index)}"><figcaption>#{index} {esc(name)}'
            + (f' <span class="badge {worst}">{worst}</span>' if worst else "") + "</figcaption>"
            + _mean_chart(name, buckets, months, esc) + _share_chart(name, buckets, months, esc)
            + (f'<ul class="flags">{notes}</ul>' if notes else "") + "</figure>")
    out.append("</div></section>")
    return "".join(out)


def _mean_chart(name: str, buckets: Sequence[tuple[str, str]], months: dict, esc: Callable[[object], str]) -> str:
    values = [v for m in months.values() for v in (m.p5, m.mean, m.p95) if v is not None]
    if not values:
        return '<p class="meta">no values (NaN in every month)</p>'
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    x, y = _scales(len(buckets), lo, hi)
    upper, lower, line, dots = [], [], [], []
    for i, key in enumerate(buckets):
        m = months.get(key)
        if m is None or m.mean is None:
            continue
        if m.p5 is not None and m.p95 is not None:
            upper.append(f"{x(i):.1f},{y(m.p95):.1f}")
            lower.append(f"{x(i):.1f},{y(m.p5):.1f}")
        line.append(f"{x(i):.1f},{y(m.mean):.1f}")
        dots.append(_dot(x(i), y(m.mean), m, esc))
    band = f'<polygon class="band" points="{" ".join(upper + lower[::-1])}"/>' if upper else ""
    return _svg(f"{name}: mean and p5-p95 by month", lo, hi,
                band + f'<polyline class="mean" points="{" ".join(line)}"/>' + "".join(dots), esc)


def _share_chart(name: str, buckets: Sequence[tuple[str, str]], months: dict, esc: Callable[[object], str]) -> str:
    x, y = _scales(len(buckets), 0.0, 100.0)
    width = max(1.0, (CHART[0] - PAD[0] - PAD[1]) / max(len(buckets), 1) - 1)
    bars, nan_line, dots = [], [], []
    for i, key in enumerate(buckets):
        m = months.get(key)
        if m is None:
            continue
        if m.default_pct:
            bars.append(f'<rect class="default" x="{x(i) - width / 2:.1f}" y="{y(m.default_pct):.1f}" '
                        f'width="{width:.1f}" height="{y(0) - y(m.default_pct):.1f}"/>')
        if m.nan_pct is not None:
            nan_line.append(f"{x(i):.1f},{y(m.nan_pct):.1f}")
        if any(f.kind in ("nan_share", "default_share") for f in m.flags):
            dots.append(_dot(x(i), y(max(m.nan_pct or 0, m.default_pct or 0)), m, esc))
    return _svg(f"{name}: default share (bars) and NaN share (line) by month, %", 0.0, 100.0,
                "".join(bars) + f'<polyline class="nan" points="{" ".join(nan_line)}"/>' + "".join(dots), esc)


def _dot(cx: float, cy: float, m: FeatureMonth, esc: Callable[[object], str]) -> str:
    if not m.flags:
        return ""
    severity = "warn" if any(f.severity == "warn" for f in m.flags) else "info"
    what = "; ".join(f"{KIND_LABEL[f.kind]} {f.severity}" for f in m.flags)
    return (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{SEVERITY_COLOUR[severity]}">'
            f"<title>{esc(f'{m.month} {PHASE_LABEL.get(m.phase, m.phase)}: {what}')}</title></circle>")


def _svg(label: str, lo: float, hi: float, body: str, esc: Callable[[object], str]) -> str:
    w, h = CHART
    axis = (f'<text x="{PAD[0] - 3}" y="{PAD[2] + 8}" text-anchor="end">{esc(fmt_value(hi))}</text>'
            f'<text x="{PAD[0] - 3}" y="{h - PAD[3]}" text-anchor="end">{esc(fmt_value(lo))}</text>'
            f'<line class="axis" x1="{PAD[0]}" y1="{h - PAD[3]}" x2="{w - PAD[1]}" y2="{h - PAD[3]}"/>')
    return (f'<svg class="multiple" width="{w}" height="{h}" role="img" aria-label="{esc(label)}">'
            f"<title>{esc(label)}</title>{axis}{body}</svg>")


def _scales(n: int, lo: float, hi: float) -> tuple[Callable[[int], float], Callable[[float], float]]:
    w, h = CHART
    span_x = w - PAD[0] - PAD[1]
    span_y = h - PAD[2] - PAD[3]

    def x(i: int) -> float:
        return PAD[0] + (span_x * (i + 0.5) / n if n else 0.0)

    def y(v: float) -> float:
        return PAD[2] + span_y * (1 - (min(max(v, lo), hi) - lo) / (hi - lo))

    return x, y


def _buckets(health: FeatureHealth) -> list[tuple[str, str]]:
    """The (month, phase) columns in time order: a month's regular season before its playoffs."""
    return sorted({(m.month, m.phase) for m in health.months}, key=lambda b: (b[0], b[1] != "regular_season"))


def _season_label(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    start = year if mon >= 8 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _month_label(month: str) -> str:
    try:
        return calendar.month_abbr[int(month[5:7])]
    except (ValueError, IndexError):
        return month


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def _mix(a: str, b: str, t: float) -> str:
    ra, rb = _rgb(a), _rgb(b)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ra, rb))


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _text_colour(background: str) -> str:
    r, g, b = _rgb(background)
    return "#111827" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


CSS = """
.legend svg{flex:none}
table.drift td.cell{width:20px;min-width:20px;height:16px;font-size:10px;font-weight:700}
table.drift td.cell a{color:inherit;text-decoration:none;display:block}
table.drift th.table a{color:#111827;text-decoration:none}
.multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(310px,1fr));gap:10px}
figure.feature{margin:0;border:1px solid #e5e7eb;border-radius:6px;padding:6px}
figure.feature.warn{border-color:#dc2626}figure.feature.info{border-color:#ca8a04}
figure.feature:target{outline:3px solid #2563eb}
figcaption{font:12px ui-monospace,"DejaVu Sans Mono",monospace;margin-bottom:2px}
svg.multiple{display:block}svg.multiple text{font-size:9px;fill:#6b7280}
svg.multiple .band{fill:#bfdbfe}svg.multiple .mean{fill:none;stroke:#1d4ed8;stroke-width:1.5}
svg.multiple .default{fill:#fdba74}svg.multiple .nan{fill:none;stroke:#7c3aed;stroke-width:1.2}
svg.multiple .axis{stroke:#9ca3af}
ul.flags{margin:4px 0 0 16px;padding:0;font-size:11px;color:#374151}
"""
