"""GX's unused heavy imports are deferred (`expectations/lazy.py`): a process that validates never
executes scipy.stats or altair, and code that does use them still gets the real modules."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import hashlib, json, sys
    from datetime import UTC, datetime
    import pyarrow as pa
    from expectations.validate import frame_for, validate
    from model.schema import ARTICLES

    now = datetime(2025, 4, 14, 6, 0, tzinfo=UTC)
    def article(i, language):
        text = f"Ppo zbyla {i + 2} bezpilotnyky nad oblastiu."
        return {"article_id": f"a{i}", "source": "wire", "url": f"https://example.org/{i}", "title": None,
                "published": now, "language": language, "text": text,
                "content_hash": hashlib.sha256(text.encode()).hexdigest(), "fetched_at": now, "run_id": "r1",
                "month": "2025-04"}
    rows = pa.Table.from_pylist([article(0, "uk"), article(1, "zz"), article(2, "ru")], schema=ARTICLES)
    checked = validate("articles", frame_for(rows))  # a failing batch: both of GX's result formats run
    loaded = {m: m in sys.modules for m in ("great_expectations", "scipy.stats._stats_py", "altair.vegalite")}
    from scipy import stats
    import altair
    used = {"cdf": float(stats.norm.cdf(0.0)), "chart": altair.Chart.__name__}
    print(json.dumps({"failed_rows": [f.row for f in checked.failures], "loaded": loaded, "used": used}))
""")


def test_validation_never_executes_scipy_stats_or_altair_and_both_still_work_when_used():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["failed_rows"] == [1]  # the batch really went through GX
    assert out["loaded"] == {"great_expectations": True, "scipy.stats._stats_py": False, "altair.vegalite": False}
    assert out["used"] == {"cdf": 0.5, "chart": "Chart"}
