"""The report's figures and page: plain rows in, one self-contained HTML document out.

Nothing here reads the warehouse or writes a file (`warehouse/report.py` reads, the CLI writes).
Charts and the map are drawn by matplotlib as SVG and put into the page as markup: no script, no
font file, no network, the same bytes for the same data (fixed SVG hash salt, no date in the
metadata), and elements a test can find in the DOM. Every text that comes from an article (evidence
sentences, titles, outlet names, links) is HTML-escaped by the template's autoescaping; links are
kept only when they are http(s).
"""

from __future__ import annotations

import gzip
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from transforms.reference import ComparedDay

TYPE_COLOURS = {"interception": "#2b6cb0", "impact": "#c53030"}
WEAPON_COLOURS = {"drone": "#dd6b20", "missile": "#805ad5", "glide_bomb": "#2f855a", "artillery": "#718096",
                  "not said": "#cbd5e0"}
# The map's default view: Ukraine and European Russia, widened to take in every point.
VIEW = (22.0, 43.0, 50.0, 60.5)  # lon_min, lat_min, lon_max, lat_max


@dataclass
class ReportData:
    """What the page shows, as plain rows (see warehouse/sql/report_*.sql for each)."""

    totals: dict[str, Any]
    daily: list[dict[str, Any]]
    points: list[dict[str, Any]]
    places: list[dict[str, Any]]
    latest: list[dict[str, Any]]
    quarantine: list[dict[str, Any]]
    last_run: dict[str, Any] | None
    since: date | None = None
    until: date | None = None
    generated_at: datetime | None = None
    reference: list[ComparedDay] | None = None  # None: no reference table given
    reference_name: str | None = None
    docs_link: str | None = None  # relative link to GX Data Docs' index
    docs_note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- figures


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "incidents-report",
                                "font.family": "sans-serif", "font.size": 9})
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=72)


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg"):]  # no XML prolog or DOCTYPE inside an HTML page


def daily_chart(rows: Sequence[Mapping[str, Any]], key: str, colours: Mapping[str, str], title: str) -> str:
    """Stacked bars of events per day, one colour per value of `key` (event_type or weapon)."""
    counts: dict[str, dict[date, int]] = {}
    for r in rows:
        counts.setdefault(r[key], {}).setdefault(r["event_date"], 0)
        counts[r[key]][r["event_date"]] += int(r["events"])
    days = sorted({r["event_date"] for r in rows})
    fig = _figure(7.5, 2.6)
    ax = fig.add_subplot()
    ax.set_title(title, loc="left", fontsize=10)
    if not days:
        ax.text(0.5, 0.5, "no dated events in this period", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return _svg(fig)
    order = [k for k in colours if k in counts] + sorted(k for k in counts if k not in colours)
    bottom = [0] * len(days)
    width = 0.8 if len(days) < 400 else 1.0
    for k in order:
        heights = [counts[k].get(d, 0) for d in days]
        ax.bar(days, heights, bottom=bottom, width=width, color=colours.get(k, "#a0aec0"), label=k,
               gid=f"bars-{k.replace(' ', '-')}")
        bottom = [b + h for b, h in zip(bottom, heights)]
    ax.set_ylabel("events")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    from matplotlib.dates import DateFormatter, DayLocator

    if (days[-1] - days[0]).days <= 14:  # a tick per day, not matplotlib's hours
        ax.xaxis.set_major_locator(DayLocator())
    ax.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    return _svg(fig)


@cache
def load_outlines() -> dict[str, Any]:
    """Region outlines of Russia and Ukraine shipped with the package (tools/build_outlines.py)."""
    blob = (resources.files("transforms") / "data" / "outlines.json.gz").read_bytes()
    return json.loads(gzip.decompress(blob))


def _view(points: Iterable[Mapping[str, Any]]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = VIEW
    for p in points:
        lon = p["longitude"] + (360 if p["longitude"] < -20 else 0)  # Chukotka lies past 180
        x0, x1 = min(x0, lon - 1), max(x1, lon + 1)
        y0, y1 = min(y0, p["latitude"] - 1), max(y1, p["latitude"] + 1)
    return x0, y0, x1, y1


def _inside(line: Sequence[Sequence[float]], view: tuple[float, float, float, float]) -> bool:
    xs, ys = [p[0] for p in line], [p[1] for p in line]
    return max(xs) >= view[0] and min(xs) <= view[2] and max(ys) >= view[1] and min(ys) <= view[3]


def event_map(points: Sequence[Mapping[str, Any]], outlines: Mapping[str, Any] | None = None) -> str:
    """Region outlines with the events as points: one per type and place, area by the number of events."""
    from matplotlib.collections import LineCollection, PolyCollection

    outlines = outlines or load_outlines()
    view = _view(points)
    fig = _figure(11.0, 7.0)
    ax = fig.add_subplot()
    rings = [ring for r in outlines["regions"] for ring in r["rings"] if _inside(ring, view)]
    ax.add_collection(PolyCollection(rings, facecolors="#f7fafc", edgecolors="#a0aec0", linewidths=0.4,
                                     gid="regions"))
    borders = [b["line"] for b in outlines["borders"] if _inside(b["line"], view)]
    ax.add_collection(LineCollection(borders, colors="#4a5568", linewidths=0.9, gid="borders"))
    most = max((p["events"] for p in points), default=1)
    for kind, colour in TYPE_COLOURS.items():
        mine = [p for p in points if p["event_type"] == kind]
        if not mine:
            continue
        ax.scatter([p["longitude"] + (360 if p["longitude"] < -20 else 0) for p in mine],
                   [p["latitude"] for p in mine], s=[30.0 + 570.0 * math.sqrt(p["events"] / most) if most > 1 else 45.0 for p in mine],
                   c=colour, alpha=0.65, edgecolors="white", linewidths=0.5, label=kind, gid=f"points-{kind}",
                   zorder=3)
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect(1 / math.cos(math.radians((view[1] + view[3]) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_color("#cbd5e0")
    if points:
        ax.legend(frameon=True, fontsize=8, loc="lower left", markerscale=0.8)
    return _svg(fig)


# ---------------------------------------------------------------- text


def spread(low: int | None, high: int | None) -> str | None:
    """'20' or '20–32' (None when no report gives a figure)."""
    if low is None and high is None:
        return None
    if low is None or high is None or low == high:
        return str(high if low is None else low)
    return f"{low}–{high}"


def disagreement(event: Mapping[str, Any]) -> str:
    """How far the outlets' figures for one event go apart: 'killed 20–32 from 4 outlets'."""
    parts = []
    for label, low, high in (("killed", "killed_min", "killed_max"), ("injured", "injured_min", "injured_max"),
                             ("weapons", "quantity_min", "quantity_max")):
        shown = spread(event.get(low), event.get(high))
        if shown is not None:
            parts.append(f"{label} {shown}")
    n = int(event.get("n_sources") or 0)
    outlets = f"{n} outlet" + ("" if n == 1 else "s")
    return f"{', '.join(parts)} from {outlets}" if parts else f"no figures, from {outlets}"


def safe_link(url: str | None) -> str | None:
    """Only http(s) links become hrefs: a `javascript:` or `data:` URL from a feed never does."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def group_latest(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rows of report_latest.sql (one per member report) as events, each with its reports."""
    events: dict[str, dict[str, Any]] = {}
    for r in rows:
        ev = events.get(r["event_id"])
        if ev is None:
            ev = {k: r[k] for k in ("event_id", "event_date", "event_type", "weapon", "country", "admin1", "admin2",
                                    "locality", "n_incidents", "n_articles", "n_sources", "quantity_min",
                                    "quantity_max", "quantity_best", "killed_min", "killed_max", "killed_best",
                                    "injured_min", "injured_max", "injured_best", "evidence")}
            ev["place"] = ", ".join(p for p in (r["locality"], r["admin2"], r["admin1"]) if p)
            ev["disagreement"] = disagreement(r)
            ev["reports"] = []
            events[r["event_id"]] = ev
        figures = ", ".join(f"{k} {r[k]}" for k in ("killed", "injured", "quantity") if r.get(k) is not None)
        ev["reports"].append({"source": r["source"], "url": safe_link(r.get("url")), "title": r.get("title"),
                              "published": r.get("published"), "member_type": r.get("member_type"),
                              "figures": figures})
    return list(events.values())


def _source_errors(last_run: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    raw = (last_run or {}).get("source_errors")
    if not raw:
        return []
    try:
        errors = json.loads(raw) if isinstance(raw, str) else dict(raw)
    except (ValueError, TypeError):
        return [("?", str(raw))]
    return sorted((str(k), str(v)) for k, v in errors.items())


# ---------------------------------------------------------------- page


@cache
def _template():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("transforms", "templates"), autoescape=select_autoescape(["html", "j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["spread"] = lambda pair: spread(*pair) or "–"
    return env.get_template("report.html.j2")


def render_report(data: ReportData, outlines: Mapping[str, Any] | None = None) -> str:
    """The whole report as one HTML document (no external resource of any kind)."""
    from markupsafe import Markup

    regions = [p for p in data.places if p["level"] == "region"][:15]
    districts = [p for p in data.places if p["level"] == "district"][:15]
    return _template().render(
        d=data,
        t=data.totals,
        by_type=Markup(daily_chart(data.daily, "event_type", TYPE_COLOURS, "Events per day, by type")),
        by_weapon=Markup(daily_chart(data.daily, "weapon", WEAPON_COLOURS, "Events per day, by weapon")),
        event_map=Markup(event_map(data.points, outlines)),
        regions=regions,
        districts=districts,
        latest=group_latest(data.latest),
        source_errors=_source_errors(data.last_run),
        type_colours=TYPE_COLOURS,
    )
