"""Cross-check with a public daily table of air attacks on Ukraine (the Air Force's figures).

The table (`missile_attacks_daily.csv`: one row per attack wave and weapon model, `time_start`,
`time_end`, `launched`, `destroyed`, `source`) counts what was launched at Ukraine and shot down,
nationally. Our interceptions are what the outlets we read reported, place by place. Side by side
they say how much of the shooting down our sources covered on a day, not which count is true.

Days: a wave is put on the day it ended (`time_end`), the morning the Air Force reports it. Our
events of an overnight attack carry the same day: the texts say "overnight" and are published that
morning, and the extractor dates such reports by their publication (see `dates.py`). Rows of the
regional commands (South, East, ...) repeat part of the national count in other words, so only the
national command's rows count (`source` starting with `kpszsu`), unless told otherwise.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

NATIONAL_SOURCES = ("kpszsu",)


@dataclass(frozen=True)
class ReferenceDay:
    day: date
    launched: int
    destroyed: int
    rows: int


@dataclass(frozen=True)
class ComparedDay:
    day: date
    our_interceptions: int  # interception events over Ukraine
    our_shot_down: int | None  # weapons those events say were shot down (null: none gives a count)
    ref_launched: int
    ref_destroyed: int

    @property
    def share(self) -> float | None:
        """Our shot-down count as a share of the reference's (coverage, not accuracy)."""
        if self.our_shot_down is None or not self.ref_destroyed:
            return None
        return self.our_shot_down / self.ref_destroyed


def parse_moment(value: str | None) -> date | None:
    """The day of a `time_start`/`time_end` cell: '2025-08-11 08:00', '2025-08-11' (or None)."""
    text = (value or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _count(value: str | None) -> int:
    text = (value or "").strip()
    if not text or text.lower() == "nan":
        return 0
    try:
        return int(float(text))
    except ValueError:
        return 0


def reference_days(rows: Iterable[Mapping[str, str]], sources: tuple[str, ...] | None = NATIONAL_SOURCES
                   ) -> tuple[dict[date, ReferenceDay], int]:
    """Launched and destroyed per day (the day a wave ended), over rows whose `source` starts with
    one of `sources` (None: every row). Returns the days and how many rows had no readable day."""
    totals: dict[date, list[int]] = {}
    undated = 0
    for row in rows:
        if sources is not None and not (row.get("source") or "").startswith(sources):
            continue
        day = parse_moment(row.get("time_end")) or parse_moment(row.get("time_start"))
        if day is None:
            undated += 1
            continue
        t = totals.setdefault(day, [0, 0, 0])
        t[0] += _count(row.get("launched"))
        t[1] += _count(row.get("destroyed"))
        t[2] += 1
    return {d: ReferenceDay(d, *t) for d, t in sorted(totals.items())}, undated


def read_reference(path: Path) -> tuple[dict[date, ReferenceDay], int]:
    """`reference_days` of a CSV file (UTF-8, header row)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return reference_days(csv.DictReader(f))


def compare(ours: Iterable[Mapping], reference: Mapping[date, ReferenceDay]) -> list[ComparedDay]:
    """The days both cover: a day we have any event on (`ours`: rows of report_ua_interceptions.sql,
    `event_date`, `interceptions`, `shot_down`) and the reference has a row for. Latest first."""
    out = []
    for row in ours:
        day = row["event_date"]
        ref = reference.get(day)
        if ref is None:
            continue
        shot = row.get("shot_down")
        out.append(ComparedDay(day, int(row.get("interceptions") or 0), None if shot is None else int(shot),
                               ref.launched, ref.destroyed))
    return sorted(out, key=lambda c: c.day, reverse=True)
