"""Scoring of extracted incidents against gold annotations (gold/README.md, "Scoring").

Kept separate from the extractor so that `incidents eval`, the dev-quality test and ad-hoc runs all
compute exactly the same numbers. Matching is one-to-one per article: among the gold/predicted pairs
that are allowed to match (same event type and admin1, and same normalised admin2 where the gold has
one) we first take the pairs that also agree on admin2/locality, then grow the matching with
augmenting paths so that a preference never costs a match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

EVENT_TYPES = ("interception", "strike", "debris")
FIELDS = ("weapon", "admin2", "locality", "quantity", "killed", "injured")
# Fields compared only where the gold value is not null (an inferred district is not an error).
_GOLD_NONNULL_ONLY = {"admin2", "locality"}

_GENERIC = {
    "district", "raion", "rayon", "okrug", "municipal", "urban", "city", "oblast", "region", "krai",
    "hromada", "community", "settlement",
}
# Longest first so that "-skyi" is not cut as "-ski" + "yi".
_ENDINGS = ("skaya", "skiy", "skii", "skyi", "skyy", "skoy", "sky", "ski", "ska")

_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
_TRANS = str.maketrans(_CYR)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise_name(name: str | None) -> str | None:
    """Make `Kharkivskyi`, `Kharkiv raion` and `Kharkiv district` compare equal (README rules)."""
    if name is None:
        return None
    text = unicodedata.normalize("NFKD", name.lower().translate(_TRANS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = []
    for word in _NON_ALNUM.sub(" ", text).split():
        if word in _GENERIC:
            continue
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) > len(ending) + 2:
                word = word[: -len(ending)]
                break
        if len(word) > 4 and word.endswith("sk"):  # "Kursky" and "Kursk district" both become "kur"
            word = word[:-2]
        words.append(word)
    return " ".join(words) or None


def _can_match(gold: dict, pred: dict) -> bool:
    if gold.get("event_type") != pred.get("event_type") or gold.get("admin1") != pred.get("admin1"):
        return False
    g2 = normalise_name(gold.get("admin2"))
    return g2 is None or g2 == normalise_name(pred.get("admin2"))


def _preference(gold: dict, pred: dict) -> int:
    score = 0
    for key in ("admin2", "locality"):
        g, p = normalise_name(gold.get(key)), normalise_name(pred.get(key))
        if g == p:
            score += 2 if g is not None else 1
    return score


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    """Maximum one-to-one matching of one article's gold and extracted incidents, seeded greedily
    with the most specific agreeing pairs; (gold index, extracted index) pairs. Public so that the
    merge scoring (transforms/event_scoring.py) matches incidents exactly as `score` does."""
    edges = {g: [p for p in range(len(pred)) if _can_match(gold[g], pred[p])] for g in range(len(gold))}
    pairs = sorted(
        ((g, p) for g, ps in edges.items() for p in ps),
        key=lambda gp: (-_preference(gold[gp[0]], pred[gp[1]]), gp),
    )
    g_to_p: dict[int, int] = {}
    p_to_g: dict[int, int] = {}
    for g, p in pairs:
        if g not in g_to_p and p not in p_to_g:
            g_to_p[g], p_to_g[p] = p, g

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in p_to_g or augment(p_to_g[p], seen):
                g_to_p[g], p_to_g[p] = p, g
                return True
        return False

    for g in range(len(gold)):
        if g not in g_to_p:
            augment(g, set())
    return sorted(g_to_p.items())


def _prf(tp: int, fp: int, fn: int) -> dict:
    """A ratio with nothing to count is None (absent), not a perfect score."""
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _field_equal(field: str, gold_value, pred_value) -> bool:
    if field in ("admin2", "locality"):
        return normalise_name(gold_value) == normalise_name(pred_value)
    return gold_value == pred_value


def score(gold: list[dict], predicted: dict[str, list[dict]]) -> dict:
    """Precision/recall per event type and field accuracy over matched pairs, plus a list of misses."""
    counts = {t: [0, 0, 0] for t in EVENT_TYPES}  # tp, fp, fn
    field_hits = {f: [0, 0] for f in FIELDS}  # correct, compared
    misses: list[dict] = []
    for record in gold:
        aid = record["article_id"]
        g_list = list(record.get("incidents") or [])
        p_list = list(predicted.get(aid) or [])
        pairs = match(g_list, p_list)
        matched_g = {g for g, _ in pairs}
        matched_p = {p for _, p in pairs}
        for g, p in pairs:
            gi, pi = g_list[g], p_list[p]
            counts.setdefault(gi["event_type"], [0, 0, 0])[0] += 1
            for field in FIELDS:
                if field in _GOLD_NONNULL_ONLY and gi.get(field) is None:
                    continue
                field_hits[field][1] += 1
                if _field_equal(field, gi.get(field), pi.get(field)):
                    field_hits[field][0] += 1
                else:
                    misses.append({"article_id": aid, "kind": "field", "field": field,
                                   "expected": gi.get(field), "got": pi.get(field), "incident": _brief(gi)})
        for g, gi in enumerate(g_list):
            if g not in matched_g:
                counts.setdefault(gi["event_type"], [0, 0, 0])[2] += 1
                misses.append({"article_id": aid, "kind": "missed", "expected": _brief(gi), "got": None})
        for p, pi in enumerate(p_list):
            if p not in matched_p:
                counts.setdefault(pi.get("event_type"), [0, 0, 0])[1] += 1
                misses.append({"article_id": aid, "kind": "spurious", "expected": None, "got": _brief(pi)})
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {
        "articles": len(gold),
        "overall": _prf(*total),
        "by_type": {t: _prf(*counts.get(t, [0, 0, 0])) for t in EVENT_TYPES},
        "fields": {f: (hit / n if n else None) for f, (hit, n) in field_hits.items()},
        "field_counts": {f: {"correct": hit, "compared": n} for f, (hit, n) in field_hits.items()},
        "misses": misses,
    }


def _brief(incident: dict) -> str:
    keys = ("event_type", "weapon", "admin1", "admin2", "locality", "quantity", "killed", "injured")
    return " ".join(f"{k}={incident.get(k)}" for k in keys)


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_table(result: dict, misses: Iterable[dict] | None = None) -> str:
    """Plain-text summary for terminals and test logs."""
    lines = [f"articles: {result['articles']}",
             f"{'':14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
    rows = [("overall", result["overall"])] + list(result["by_type"].items())
    for name, r in rows:
        lines.append(f"{name:14}{_fmt(r['precision']):>7}{_fmt(r['recall']):>7}{_fmt(r['f1']):>7}"
                     f"{r['tp']:5d}{r['fp']:5d}{r['fn']:5d}")
    lines.append("field accuracy: " + "  ".join(f"{f}={_fmt(v)}" for f, v in result["fields"].items()))
    for miss in misses or []:
        extra = f" [{miss['field']}]" if miss.get("field") else ""
        lines.append(f"  {miss['article_id']:10} {miss['kind']}{extra}: expected={miss['expected']} "
                     f"got={miss['got']}")
    return "\n".join(lines)
