"""A lake on object storage killed while it is being published to, then run again.

The crash driver's real kills (`tests/crash_driver.py`, as `tests/test_crash_anywhere.py` uses
it: one forked CLI per stage, SIGKILL at a named checkpoint, a rerun that recovers and dies one
point further on) with the lake in a bucket of moto's S3 server on 127.0.0.1 (`conftest.py`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from test_crash_anywhere import _inputs, drive
from test_lake_s3 import _assert_only_parquet_in_hive_layout

from warehouse import crashpoints

# Kill points of the S3 chains (`tests/crash_driver.py`, as in tests/test_crash_anywhere.py):
# the moments between a temporary key and its copy, and between the copies and the deletes.
S3_RUN_POINTS = ",".join(
    f"run/{p}" for p in (
        "lake.staged.articles",        # a batch's first file at its temporary key, nothing in place
        "lake.published.articles",     # part of a batch copied into place, temporary keys left
        "recover/partial_removed",     # ... and the rerun dies deleting that partial batch
        "lake.in_place",               # a whole batch in place, its temporary keys left, not loaded
        "recover/load.*",              # ... and the rerun dies loading it from the bucket
    )
)
S3_REPROCESS_POINTS = ",".join(
    f"reprocess/{p}" for p in (
        "marker_set",                  # the rebuild marker is an object in the bucket
        "rebuild.retired",             # the old incidents deleted, the new ones not copied in
        "rebuild.swapped",             # the new ones in place, their temporary keys left
    )
)


def test_killed_while_publishing_to_s3_then_rerun_gives_exactly_a_clean_runs_rows(bucket, tmp_path):
    """SIGKILL (the crash driver's real kills, one forked CLI per stage) at each S3 point, then
    a rerun: at every instant the warehouse's rules hold (its rows all in the bucket), and in the
    end the rows equal a clean run's on a local lake and the bucket holds only hive Parquet."""
    work = tmp_path / "crash"
    work.mkdir()
    wire, regional = _inputs(work)
    url = f"s3://{bucket}/lake"
    sources = ["--source", str(wire), "--source", str(regional)]
    aws = {k: os.environ[k] for k in os.environ if k.startswith("AWS_")}
    plan = {
        "data_dir": str(work / "data"), "clean_dir": str(work / "clean"), "batch_size": 16,
        "report": str(work / "report.json"), "clean": ["run", *sources], "env": aws,
        "chains": [
            {"name": "s3-run", "argv": ["run", *sources, "--lake", url], "points": S3_RUN_POINTS, "lake": url},
            {"name": "s3-reprocess", "argv": ["reprocess", "--all", "--lake", url], "points": S3_REPROCESS_POINTS,
             "lake": url},
        ],
    }
    report = drive(work, plan)
    clean = report["clean"]
    assert clean["exit"] == 0 and clean["complete_problems"] == [], clean

    def log(stage):
        return Path(stage["log"]).read_text(encoding="utf-8", errors="replace")[-2000:]

    killed = []
    for chain in report["chains"]:
        *kills, last = chain["stages"]
        for st in kills:
            assert st["killed"] and st["crash_problems"] == [], (st["tag"], st["point"], st["crash_problems"], log(st))
            killed.append(st["point"])
        assert not last["killed"] and last["exit"] == 0, (chain["name"], log(last))
        assert last["complete_problems"] == [], (chain["name"], last["complete_problems"])
        assert last["content"] == clean["content"], (chain["name"], last["content"], clean["content"])
    patterns = S3_RUN_POINTS.split(",") + S3_REPROCESS_POINTS.split(",")
    assert all(any(crashpoints.matches(p, k) for k in killed) for p in patterns), killed  # each point reached
    assert len(set(killed)) == len(killed), killed
    _assert_only_parquet_in_hive_layout(bucket)
    shutil.rmtree(work / "clean", ignore_errors=True)

