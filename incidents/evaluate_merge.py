"""`incidents eval --merge`: score the merge of incidents into events on a merge gold file.

The texts go through the same extraction `incidents eval` runs (incidents/evaluate.py), every
extracted incident (matched or not, as in a real run) goes through the merge the warehouse mart
runs (transforms/events.py), and the pairs are scored by transforms/event_scoring.py.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from incidents.evaluate import extract_gold, predicted_by_article, read_gold
from transforms.event_scoring import PairMiss, keyed_incidents, score_pairs
from transforms.events import assign_events


def _with_published(articles: pa.Table, incidents: pa.Table) -> pa.Table:
    """The incidents with their article's publication date, as the mart reads them."""
    index = pc.index_in(incidents.column("article_id"), value_set=articles.column("article_id"))
    return incidents.append_column("published", pc.take(articles.column("published"), index))


def evaluate_merge_records(gold: list[dict]) -> dict:
    missing = [g["article_id"] for g in gold for i in g.get("incidents") or [] if not i.get("event_key")]
    if missing:
        raise ValueError(f"{missing[0]}: an incident without event_key (not a merge gold file)")
    articles, incidents = extract_gold(gold)
    assigned = assign_events(_with_published(articles, incidents))
    event_of = dict(zip(assigned.column("incident_id").to_pylist(), assigned.column("event_id").to_pylist()))
    keyed = keyed_incidents(gold, predicted_by_article(gold, incidents))
    pairs, misses = score_pairs(keyed, event_of)
    return {
        "pairs": pairs,
        "matched": len(keyed),
        "gold_incidents": sum(len(g.get("incidents") or []) for g in gold),
        "events": len(set(event_of.values())),
        "incidents": incidents.num_rows,
        "misses": [_miss(m) for m in misses],
    }


def _brief(incident: dict) -> str:
    keys = ("event_type", "weapon", "admin1", "admin2", "locality", "quantity", "event_date")
    return " ".join(f"{k}={incident.get(k)}" for k in keys if k in incident)


def _miss(m: PairMiss) -> dict:
    return {
        "kind": "merged, different keys" if m.kind == "fp" else "same key, not merged",
        "a": f"{m.a.article_id} {m.a.event_key}: {_brief(m.a.extracted)}",
        "b": f"{m.b.article_id} {m.b.event_key}: {_brief(m.b.extracted)}",
    }


def evaluate_merge_file(path: Path, texts: Path | None = None) -> dict:
    return evaluate_merge_records(read_gold(path, texts))
