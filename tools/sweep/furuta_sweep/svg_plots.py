"""Two small SVG charts, written by hand so the sweep needs no plotting library:
the objective over trials (with the best feasible so far) and the parameter importances."""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 58, 50


def _document(body: list[str], title: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15">{escape(title)}</text>',
        *body,
        "</svg>",
    ]) + "\n"


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (1, 2, 5 × 10^k steps)."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    return [first + i * step for i in range(int(math.ceil((high - first) / step)) + 1)]


def objective_chart(points: list[dict], title: str, y_label: str) -> str:
    """`points`: dicts with number, value (None when pruned), feasible; best-so-far line over
    feasible complete trials. Pruned trials are drawn as crosses on the top edge."""
    numbers = [p["number"] for p in points] or [0]
    values = [p["value"] for p in points if p["value"] is not None]
    x_low, x_high = min(numbers) - 0.5, max(numbers) + 0.5
    y_ticks = _ticks(min(values + [0.0]), max(values + [1.0]) * 1.05)
    y_low, y_high = y_ticks[0], y_ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(n: float) -> float:
        return LEFT + (n - x_low) / (x_high - x_low) * plot_w

    def y(v: float) -> float:
        return TOP + (1 - (v - y_low) / (y_high - y_low)) * plot_h

    body = [f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>']
    for tick in y_ticks:
        body.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#eee"/>')
        body.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>')
    x_step = max(1, int(math.ceil(len(set(numbers)) / 12)))
    for n in sorted(set(numbers))[::x_step]:
        body.append(f'<text x="{x(n):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{n}</text>')
    body.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 12}" text-anchor="middle">trial</text>')
    body.append(f'<text transform="translate(16 {TOP + plot_h / 2}) rotate(-90)" text-anchor="middle">{escape(y_label)}</text>')
    best = math.inf
    line: list[str] = []
    for p in sorted(points, key=lambda p: p["number"]):
        if p["value"] is None:
            cx, cy = x(p["number"]), TOP + 6
            body.append(f'<path d="M{cx - 4:.1f},{cy - 4:.1f} L{cx + 4:.1f},{cy + 4:.1f} M{cx - 4:.1f},{cy + 4:.1f} '
                        f'L{cx + 4:.1f},{cy - 4:.1f}" stroke="#888" stroke-width="1.5"><title>trial {p["number"]}: pruned</title></path>')
            continue
        fill = "#1f77b4" if p["feasible"] else "white"
        body.append(f'<circle cx="{x(p["number"]):.1f}" cy="{y(p["value"]):.1f}" r="4.5" fill="{fill}" stroke="#1f77b4" '
                    f'stroke-width="1.5"><title>trial {p["number"]}: {p["value"]:.2f}</title></circle>')
        if p["feasible"] and p["value"] < best:
            if best < math.inf:  # a step: along at the old best, then down to the new one
                line.append(f"{x(p['number']):.1f},{y(best):.1f}")
            best = p["value"]
        if best < math.inf:
            line.append(f"{x(p['number']):.1f},{y(best):.1f}")
    if line:
        body.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#d62728" stroke-width="2"/>')
    legend_y = TOP - 16
    body.append(f'<circle cx="{LEFT + 6}" cy="{legend_y}" r="4" fill="#1f77b4"/><text x="{LEFT + 14}" y="{legend_y + 4}">feasible</text>')
    body.append(f'<circle cx="{LEFT + 86}" cy="{legend_y}" r="4" fill="white" stroke="#1f77b4"/>'
                f'<text x="{LEFT + 94}" y="{legend_y + 4}">final success below the constraint</text>')
    body.append(f'<line x1="{LEFT + 320}" x2="{LEFT + 340}" y1="{legend_y}" y2="{legend_y}" stroke="#d62728" stroke-width="2"/>'
                f'<text x="{LEFT + 346}" y="{legend_y + 4}">best feasible so far</text>')
    body.append(f'<text x="{LEFT + 480}" y="{legend_y + 4}" fill="#888">× pruned</text>')
    return _document(body, title)


def importance_chart(importances: dict[str, float], title: str, note: str = "") -> str:
    """Horizontal bars, largest first; `note` replaces the bars when there is nothing to show."""
    rows = sorted(importances.items(), key=lambda kv: -kv[1])
    label_w = 220
    height = max(120, TOP + 30 * len(rows) + 30)
    body: list[str] = []
    if not rows:
        body.append(f'<text x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle" fill="#666">{escape(note)}</text>')
        return _document(body, title, height=height)
    bar_w = WIDTH - label_w - RIGHT - 60
    largest = max(v for _, v in rows) or 1.0
    for i, (name, value) in enumerate(rows):
        top = TOP + 10 + 30 * i
        body.append(f'<text x="{label_w - 8}" y="{top + 14}" text-anchor="end">{escape(name)}</text>')
        body.append(f'<rect x="{label_w}" y="{top}" width="{bar_w * value / largest:.1f}" height="20" fill="#1f77b4"/>')
        body.append(f'<text x="{label_w + bar_w * value / largest + 6:.1f}" y="{top + 14}">{value:.2f}</text>')
    if note:
        body.append(f'<text x="{WIDTH / 2}" y="{height - 10}" text-anchor="middle" fill="#666">{escape(note)}</text>')
    return _document(body, title, height=height)
