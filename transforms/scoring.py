"""Scoring of extracted incidents against gold annotations (gold/README.md, "Scoring").

Kept separate from the extractor so that `incidents eval`, the dev-quality test and ad-hoc runs all
compute exactly the same numbers. Matching is one-to-one per article: among the gold/predicted pairs
that are allowed to match (same event type and admin1, and same normalised admin2 where the gold has
one), the largest matching, and among the largest ones the one whose pairs most agree on
admin2/locality, then on the other fields (a maximum-weight assignment).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from model.schema import EVENT_TYPES

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
    """Maximum one-to-one matching of one article's gold and extracted incidents: the most pairs, then
    among those the most pairs that agree on admin2/locality, then on the other fields (the README
    leaves the choice between equally large matchings open; a greedy seed with augmenting paths could
    undo a preferred pair). (gold index, extracted index) pairs. Public so that the merge scoring
    (transforms/event_scoring.py) matches incidents exactly as `score` does."""
    if not gold or not pred:
        return []
    weight = [[_PAIR + _PLACE * _preference(g, p) + _agreeing(g, p) if _can_match(g, p) else 0 for p in pred]
              for g in gold]
    return [(g, p) for g, p in _max_weight_assignment(weight) if weight[g][p] > 0]


_PAIR, _PLACE = 1_000_000, 100  # a pair outweighs any number of preferences; a place any other field


def _agreeing(gold: dict, pred: dict) -> int:
    return sum(gold.get(k) == pred.get(k) for k in ("weapon", "quantity", "killed", "injured"))


def _max_weight_assignment(weight: list[list[int]]) -> list[tuple[int, int]]:
    """Rows assigned to columns with the largest total weight (Hungarian method, O(n^2 m)); a row may stay
    unassigned only when there are more rows than columns."""
    transposed = len(weight) > len(weight[0])
    w = [list(col) for col in zip(*weight, strict=True)] if transposed else weight
    n, m = len(w), len(w[0])
    top = max(max(row) for row in w)
    cost = [[top - x for x in row] for row in w]  # minimise cost = maximise weight
    u, v, owner, way = [0] * (n + 1), [0] * (m + 1), [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0], j0 = i, 0
        minv, used = [float("inf")] * (m + 1), [False] * (m + 1)
        while owner[j0] != 0:
            used[j0], i0, delta, j1 = True, owner[j0], float("inf"), 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = [(owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j]]
    return sorted((c, r) for r, c in pairs) if transposed else sorted(pairs)


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
