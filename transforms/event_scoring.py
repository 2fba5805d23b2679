"""Scoring of the merge into events against gold event keys (../shared/gold/MERGE.md).

Pairwise, over the incidents the extractor found: each extracted incident is matched to a gold
incident of its article exactly as extraction is scored (`transforms.scoring.match`), and takes
that gold incident's `event_key`. Every pair of matched incidents from different articles is then
a positive when the keys are equal and a prediction when the merge put both in one event. An
unmatched incident has no key and is in no pair, so extraction errors are not counted twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from transforms.scoring import match


@dataclass(frozen=True)
class Keyed:
    """An extracted incident matched to a gold incident, with the gold's event key."""

    incident_id: str
    article_id: str
    event_key: str
    gold: Mapping
    extracted: Mapping


def keyed_incidents(gold: Sequence[Mapping], predicted: Mapping[str, Sequence[Mapping]]) -> list[Keyed]:
    """The extracted incidents that match a gold incident, each with that incident's event key."""
    found: list[Keyed] = []
    for record in gold:
        aid = record["article_id"]
        g_list = list(record.get("incidents") or [])
        p_list = list(predicted.get(aid) or [])
        for g, p in match(g_list, p_list):
            found.append(Keyed(p_list[p]["incident_id"], aid, g_list[g]["event_key"], g_list[g], p_list[p]))
    return found


@dataclass(frozen=True)
class PairMiss:
    kind: str  # "fp": merged, keys differ; "fn": equal keys, not merged
    a: Keyed
    b: Keyed


def score_pairs(keyed: Sequence[Keyed], event_of: Mapping[str, str]) -> tuple[dict, list[PairMiss]]:
    """Pairwise precision and recall of the merge; `event_of` maps incident id to event id."""
    tp = fp = fn = 0
    misses: list[PairMiss] = []
    ordered = sorted(keyed, key=lambda k: (k.article_id, k.incident_id))
    for a, b in combinations(ordered, 2):
        if a.article_id == b.article_id:
            continue
        same_key = a.event_key == b.event_key
        merged = event_of.get(a.incident_id) is not None and event_of.get(a.incident_id) == event_of.get(b.incident_id)
        if same_key and merged:
            tp += 1
        elif merged:
            fp += 1
            misses.append(PairMiss("fp", a, b))
        elif same_key:
            fn += 1
            misses.append(PairMiss("fn", a, b))
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return {"precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn}, misses
