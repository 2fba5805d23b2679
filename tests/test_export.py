"""`incidents export` on a warehouse built by a real pipeline run (Prefect engine, Parquet, GX,
DuckDB): each format for both tables, checked against the warehouse itself.

The input is a handful of short reports written for this test: one interception over the Kursk
region told by an English and a Russian outlet, the same region another night, a strike in Tuapse,
a strike in a district the gazetteer has no coordinates for (a row the GeoJSON must count, not
drop silently), and an undated report (no event_date: kept unfiltered, left out by a window).
The command runs in-process through `incidents.cli.main` (as the console script does, exit codes
and error lines included) to keep the file fast; one call goes through a real subprocess.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import run_cli

from runtime.settings import Settings
from sources.spec import SourceSpec

RECORDS = [
    {"article_id": "k1", "published": "2025-05-02T06:00:00+00:00",
     "text": "Air defence shot down five drones over the Kursk region overnight, the governor said."},
    {"article_id": "k2", "published": "2025-05-02T09:00:00+00:00",
     "text": "Ночью над Курской областью средствами ПВО уничтожены пять беспилотников, сообщил губернатор."},
    {"article_id": "t1", "published": "2025-05-02T07:00:00+00:00",
     "text": "A drone hit an oil depot in Tuapse overnight and started a fire. Two people were injured, "
             "the regional headquarters said."},
    {"article_id": "z1", "published": "2025-05-05T08:00:00+00:00",
     "text": "A drone struck a substation in the Zhizdrinsky district of the Kaluga region overnight, the governor said."},
    {"article_id": "k3", "published": "2025-05-09T07:00:00+00:00",
     "text": "Вночі над Курською областю збили два безпілотники, повідомив губернатор."},
    {"article_id": "b1", "text": "Two drones were shot down over the Bryansk region, the governor said."},
]
KEY = {"incidents": "incident_id", "events": "event_id"}


@pytest.fixture(scope="module")
def data(prefect_engine, tmp_path_factory) -> Path:
    from flows.pipeline import ingest

    root = tmp_path_factory.mktemp("export")
    src = root / "reports.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    summary = ingest([SourceSpec(name="reports", kind="jsonl", location=str(src))], Settings(data_dir=root / "data"))
    assert not summary.source_errors and summary.incidents_extracted >= len(RECORDS)
    return root / "data"


def _rows(data: Path, sql: str, params: dict | None = None) -> list[dict]:
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        return con.sql(sql, params=params).to_arrow_table().to_pylist()
    finally:
        con.close()


def export(capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    """Run `incidents export ARGS` as the console script does; (exit code, stdout, stderr)."""
    return run_cli(capsys, monkeypatch, "export", *args)


def test_the_input_has_the_cases_the_export_must_handle(data):
    for table in KEY:
        got = _rows(data, f"SELECT count(*) FILTER (WHERE latitude IS NULL) AS no_coords, "
                          f"count(*) FILTER (WHERE event_date IS NULL) AS undated, count(*) AS n FROM {table}")[0]
        assert got["no_coords"] >= 1 and got["undated"] >= 1 and got["n"] > got["no_coords"] + got["undated"], (table, got)


@pytest.mark.parametrize("table", ["incidents", "events"])
def test_geojson_is_a_feature_collection_of_the_rows_with_coordinates(data, tmp_path, capsys, monkeypatch, table):
    out = tmp_path / f"{table}.geojson"
    code, stdout, stderr = export(capsys, monkeypatch, "--format", "geojson", "--out", str(out),
                                  "--table", table, "--data-dir", str(data))
    assert code == 0, stderr
    rows = {r[KEY[table]]: r for r in _rows(data, f"SELECT * FROM {table}")}
    placed = {k for k, r in rows.items() if r["latitude"] is not None and r["longitude"] is not None}
    unplaced = len(rows) - len(placed)
    assert stderr.strip() == f"{unplaced} rows without coordinates not in the GeoJSON"
    assert f"exported {len(placed)} of {len(rows)} {table} rows" in stdout

    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert {f["id"] for f in doc["features"]} == placed and len(doc["features"]) == len(placed)
    columns = [c["column_name"] for c in _rows(data, f"DESCRIBE {table}")]
    for f in doc["features"]:
        row = rows[f["id"]]
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        assert f["geometry"]["coordinates"] == [row["longitude"], row["latitude"]]  # RFC 7946: lon, lat
        props = f["properties"]
        assert list(props) == columns  # every column, in the table's order
        assert props[KEY[table]] == f["id"] and props["evidence"] == row["evidence"] and props["evidence"]
        assert props["event_type"] == row["event_type"]
        assert props["event_date"] == (row["event_date"].isoformat() if row["event_date"] else None)
        if table == "events" and row["first_published"] is not None:
            assert props["first_published"] == row["first_published"].isoformat()
            assert props["first_published"].endswith("+00:00")


@pytest.mark.parametrize("table", ["incidents", "events"])
def test_csv_has_a_header_and_every_row(data, tmp_path, capsys, monkeypatch, table):
    out = tmp_path / f"{table}.csv"
    code, _, stderr = export(capsys, monkeypatch, "--format", "csv", "--out", str(out),
                             "--table", table, "--data-dir", str(data))
    assert code == 0, stderr
    assert stderr == ""  # CSV keeps the rows without coordinates
    with out.open(encoding="utf-8", newline="") as f:
        header, *body = list(csv.reader(f))
    assert header == [c["column_name"] for c in _rows(data, f"DESCRIBE {table}")]
    assert len(body) == _rows(data, f"SELECT count(*) AS n FROM {table}")[0]["n"]
    by_id = {r[0]: dict(zip(header, r)) for r in body}
    for row in _rows(data, f"SELECT * FROM {table}"):
        got = by_id[row[KEY[table]]]
        assert got["evidence"] == row["evidence"]
        assert got["event_date"] == (row["event_date"].isoformat() if row["event_date"] else "")
        assert got["latitude"] == ("" if row["latitude"] is None else str(row["latitude"]))


@pytest.mark.parametrize("table", ["incidents", "events"])
def test_parquet_holds_the_same_rows(data, tmp_path, capsys, monkeypatch, table):
    out = tmp_path / f"{table}.parquet"
    code, _, stderr = export(capsys, monkeypatch, "--format", "parquet", "--out", str(out),
                             "--table", table, "--data-dir", str(data))
    assert code == 0, stderr
    got = pq.read_table(out)
    expected = _rows(data, f"SELECT * FROM {table} ORDER BY {KEY[table]}")
    assert got.column_names == list(expected[0])
    assert sorted(got.to_pylist(), key=lambda r: r[KEY[table]]) == expected


@pytest.mark.parametrize("table", ["incidents", "events"])
def test_since_and_until_filter_on_event_date_inclusively(data, tmp_path, capsys, monkeypatch, table):
    out = tmp_path / f"{table}.csv"
    code, _, stderr = export(capsys, monkeypatch, "--format", "csv", "--out", str(out), "--table", table,
                             "--since", "2025-05-02", "--until", "2025-05-05", "--data-dir", str(data))
    assert code == 0, stderr
    with out.open(encoding="utf-8", newline="") as f:
        got = list(csv.DictReader(f))
    dates = {r["event_date"] for r in got}
    assert dates == {"2025-05-02", "2025-05-05"}  # both bounds in; the undated rows and 9 May out
    expected = _rows(data, f"SELECT {KEY[table]} AS id FROM {table} WHERE event_date BETWEEN $a AND $b",
                     {"a": date(2025, 5, 2), "b": date(2025, 5, 5)})
    assert sorted(r[KEY[table]] for r in got) == sorted(r["id"] for r in expected)

    code, _, _ = export(capsys, monkeypatch, "--format", "geojson", "--out", str(out), "--table", table,
                        "--since", "2025-05-09", "--data-dir", str(data))
    assert code == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert features and {f["properties"]["event_date"] for f in features} == {"2025-05-09"}


def test_a_new_export_replaces_the_file_whole_and_leaves_nothing_beside_it(data, tmp_path, capsys, monkeypatch):
    out = tmp_path / "incidents.csv"
    out.write_text("old contents\n", encoding="utf-8")
    assert export(capsys, monkeypatch, "--format", "csv", "--out", str(out), "--data-dir", str(data))[0] == 0
    assert out.read_text(encoding="utf-8").startswith("incident_id,")
    assert [p.name for p in tmp_path.iterdir()] == ["incidents.csv"]  # no temporary file left


def test_errors_are_one_line_and_leave_the_target_alone(data, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out.geojson"
    out.write_text("previous\n", encoding="utf-8")
    cases = {
        ("--since", "2025-02-30"): "--since expects a date as YYYY-MM-DD",
        ("--until", "yesterday"): "--until expects a date as YYYY-MM-DD",
        ("--since", "2025-05-09", "--until", "2025-05-01"): "--since is after --until",
        ("--table", "articles"): "unknown --table",
        ("--data-dir", str(tmp_path / "nowhere")): "run `incidents run` first",
    }
    for extra, message in cases.items():
        args = ["--format", "geojson", "--out", str(out), "--data-dir", str(data), *extra]
        code, stdout, stderr = export(capsys, monkeypatch, *args)
        assert code != 0 and message in stderr and len(stderr.strip().splitlines()) == 1, (extra, stderr)
        assert "Traceback" not in stderr and stdout == ""
    empty = tmp_path / "empty"
    empty.mkdir()
    duckdb.connect(str(empty / "warehouse.duckdb")).close()  # a warehouse no run has loaded
    code, _, stderr = export(capsys, monkeypatch, "--format", "csv", "--out", str(out), "--data-dir", str(empty))
    assert code != 0 and "no incidents table" in stderr
    code, _, stderr = export(capsys, monkeypatch, "--format", "csv", "--out", str(tmp_path / "no" / "x.csv"),
                             "--data-dir", str(data))
    assert code != 0 and "cannot write" in stderr
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "out.geojson"]


def test_the_console_script_reports_a_missing_warehouse_without_a_traceback(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "incidents", "export", "--format", "csv", "--out", str(tmp_path / "x.csv"),
         "--data-dir", str(tmp_path / "nowhere")],
        check=False, capture_output=True, text=True, timeout=60,
    )
    assert res.returncode != 0
    assert res.stderr.strip().startswith("error: no warehouse at") and "Traceback" not in res.stderr
    assert not (tmp_path / "x.csv").exists()
