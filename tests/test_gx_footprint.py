"""What GX costs a process that validates: its unused heavy imports are deferred (`expectations/lazy.py`),
so scipy.stats and altair are never executed, yet code that uses them gets the real modules; and no
batch stays behind in GX once validated (`expectations.validate._release`)."""

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
    import gc
    gc.collect()
    held = [type(o).__name__ for o in gc.get_objects() if type(o).__name__ in ("PandasBatchData", "DataFrame")]
    loaded = {m: m in sys.modules for m in ("great_expectations", "scipy.stats._stats_py", "altair.vegalite")}
    from scipy import stats
    import altair
    used = {"cdf": float(stats.norm.cdf(0.0)), "chart": altair.Chart.__name__}
    print(json.dumps({"failed_rows": [f.row for f in checked.failures], "loaded": loaded, "used": used, "held": held}))
""")


def test_validation_never_executes_scipy_stats_or_altair_keeps_no_batch_and_both_still_work():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["failed_rows"] == [1]  # the batch really went through GX
    assert out["loaded"] == {"great_expectations": True, "scipy.stats._stats_py": False, "altair.vegalite": False}
    assert out["used"] == {"cdf": 0.5, "chart": "Chart"}
    assert out["held"] == []  # neither GX's batch nor the frame it was given outlives the validation
