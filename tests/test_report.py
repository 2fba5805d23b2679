"""`incidents report` on a warehouse built by a real pipeline run, and in a real browser.

The input is a handful of short reports written for this test (English, Russian, Ukrainian): one
missile strike on Sumy told by two outlets with different death tolls (one event, "killed 20-32"),
interceptions over the Kyiv region and over the Kursk region, a strike in Kharkiv on another day
whose sentence and title carry a `<script>` tag (it must reach the page as inert text), an undated
report, and a record with a `javascript:` link, which the articles contract quarantines. The command runs in-process as the console script does
(`conftest.run_cli`); the page is then opened by headless Chromium with the network cut.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, call_main, run_cli

from runtime.settings import Settings
from sources.spec import SourceSpec
from transforms import reference as ref
from transforms.report import disagreement, safe_link

SCRIPT = "<script>document.title='pwned'</script>"
RECORDS = [
    {"article_id": "s1", "published": "2025-04-13T09:00:00+00:00", "url": "https://outlet-one.example/sumy",
     "title": "Missile strike on Sumy",
     "text": "A Russian missile hit the centre of Sumy this morning, killing 20 people, the regional governor said."},
    {"article_id": "s2", "published": "2025-04-13T15:00:00+00:00", "url": "https://outlet-two.example/sumy",
     "title": "Удар по Сумах",
     "text": "Внаслідок ракетного удару по центру Сум сьогодні загинули 32 людини, повідомила обласна адміністрація."},
    {"article_id": "k1", "published": "2025-04-14T06:00:00+00:00", "url": "https://outlet-one.example/kyiv",
     "text": "Air defence shot down twelve drones over the Kyiv region overnight, the regional administration said."},
    {"article_id": "r1", "published": "2025-04-14T07:00:00+00:00", "url": "https://outlet-three.example/kursk",
     "text": "Ночью над Курской областью средствами ПВО уничтожены пять беспилотников, сообщил губернатор."},
    {"article_id": "x1", "published": "2025-04-15T06:30:00+00:00", "url": "https://outlet-three.example/kharkiv",
     "title": "Drone hits Kharkiv " + SCRIPT,
     "text": f"A drone hit a house in Kharkiv overnight {SCRIPT} and two people were injured, the mayor said."},
    {"article_id": "u1", "text": "Two drones were shot down over the Bryansk region, the governor said."},
    # A link no page may carry: the articles contract quarantines the record (a rule the report counts).
    {"article_id": "j1", "published": "2025-04-15T08:00:00+00:00", "url": "javascript:alert(1)",
     "text": "A drone hit a garage in Kharkiv overnight, nobody was hurt, the mayor said."},
]
REFERENCE = """time_start,time_end,model,launched,destroyed,source
2025-04-13 19:00,2025-04-14 08:00,Shahed-136/131,100.0,80.0,kpszsu/posts/a
2025-04-13 19:00,2025-04-14 08:00,Kalibr,10.0,7.0,kpszsu/posts/a
2025-04-14,2025-04-14,Unknown UAV,5.0,5.0,PvKPivden/posts/b
2025-04-12 20:00,2025-04-13 06:00,Shahed-136/131,40.0,30.0,kpszsu/posts/c
2025-05-01 20:00,2025-05-02 06:00,Shahed-136/131,50.0,45.0,kpszsu/posts/d
"""


@pytest.fixture(scope="module")
def data(prefect_engine, tmp_path_factory) -> Path:
    from flows.pipeline import ingest

    root = tmp_path_factory.mktemp("report")
    specs = []
    for name, records in (("outlet-one", [r for r in RECORDS if r["article_id"] != "s2"]),
                          ("outlet-two", [r for r in RECORDS if r["article_id"] == "s2"])):
        src = root / f"{name}.jsonl"
        src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        specs.append(SourceSpec(name=name, kind="jsonl", location=str(src)))
    summary = ingest(specs, Settings(data_dir=root / "data"))
    assert not summary.source_errors
    return root / "data"


@pytest.fixture(scope="module")
def reference_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reference") / "missile_attacks_daily.csv"
    path.write_text(REFERENCE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def docs_report(data, tmp_path_factory) -> Path:
    """One report with its Data Docs (into `data/docs`), for the tests that only read the page
    and the docs: each build is a process that imports GX, seconds of CPU. (A module fixture
    cannot use capsys: the command's output is redirected here.)"""
    out = tmp_path_factory.mktemp("docs-report") / "r.html"
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp, redirect_stdout(stdout), redirect_stderr(stderr):
        mp.setattr(sys, "argv", ["incidents", "report", "--data-dir", str(data), "--out", str(out)])
        code = call_main()
    assert code == 0, stderr.getvalue()
    assert str(out) in stdout.getvalue()
    return out


def _one(data: Path, sql: str, params: dict | None = None) -> dict:
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        return con.sql(sql, params=params).to_arrow_table().to_pylist()[0]
    finally:
        con.close()


def report(capsys, monkeypatch, data: Path, out: Path, *args: str) -> str:
    code, stdout, stderr = run_cli(capsys, monkeypatch, "report", "--data-dir", str(data), "--out", str(out), *args)
    assert code == 0, stderr
    assert str(out) in stdout
    return out.read_text(encoding="utf-8")


def _card(html: str, name: str) -> str:
    m = re.search(rf'id="total-{name}">([^<]*)<', html)
    assert m, name
    return m.group(1)


def test_the_input_has_the_cases_the_report_shows(data):
    got = _one(data, "SELECT count(*) FILTER (WHERE n_articles > 1 AND killed_min = 20 AND killed_max = 32) AS sumy, "
                     "count(*) FILTER (WHERE event_type = 'interception' AND country = 'UA') AS ua_int, "
                     "count(*) FILTER (WHERE event_date IS NULL) AS undated, "
                     "count(*) FILTER (WHERE evidence LIKE '%<script>%') AS script FROM events")
    assert got == {"sumy": 1, "ua_int": 1, "undated": 1, "script": 1}, got


def test_totals_are_the_warehouse_counts(data, tmp_path, capsys, monkeypatch):
    html = report(capsys, monkeypatch, data, tmp_path / "r.html", "--no-data-docs")
    want = _one(data, """
        SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM event_members) AS incidents,
               (SELECT count(DISTINCT article_id) FROM event_members) AS articles,
               (SELECT count(DISTINCT source) FROM article_sources
                 WHERE article_id IN (SELECT article_id FROM event_members)) AS sources,
               (SELECT sum(killed_min) FROM events) AS kmin, (SELECT sum(killed_max) FROM events) AS kmax""")
    assert int(_card(html, "events")) == want["events"] and want["events"] >= 5
    assert int(_card(html, "incidents")) == want["incidents"]
    assert int(_card(html, "articles")) == want["articles"] == len(RECORDS) - 1  # j1 is in quarantine
    assert int(_card(html, "sources")) == want["sources"] == 2
    assert _card(html, "killed") == f"{want['kmin']}–{want['kmax']}" == "20–32"
    assert "killed 20–32, weapons 1 from 2 outlets" in html  # one event, two outlets that disagree
    assert html.count('href="https://outlet-one.example/sumy"') == 1 and 'href="https://outlet-two.example/sumy"' in html


def test_since_and_until_keep_the_events_dated_inside(data, tmp_path, capsys, monkeypatch):
    html = report(capsys, monkeypatch, data, tmp_path / "r.html", "--no-data-docs",
                  "--since", "2025-04-14", "--until", "2025-04-14")
    want = _one(data, "SELECT count(*) AS n, sum(n_incidents) AS inc FROM events "
                      "WHERE event_date BETWEEN $a AND $b", {"a": date(2025, 4, 14), "b": date(2025, 4, 14)})
    assert int(_card(html, "events")) == want["n"] == 2 and int(_card(html, "incidents")) == want["inc"]
    assert "Sumy" not in html.split('id="latest"')[1].split('id="reference"')[0]
    assert "Events dated 2025-04-14 to 2025-04-14" in html
    code, _, stderr = run_cli(capsys, monkeypatch, "report", "--data-dir", str(data), "--since", "2025-05-01",
                              "--until", "2025-04-01")
    assert code == 2 and "--since is after --until" in stderr


def test_article_text_is_escaped_and_links_are_only_http(data, tmp_path, capsys, monkeypatch):
    html = report(capsys, monkeypatch, data, tmp_path / "r.html", "--no-data-docs")
    assert SCRIPT not in html and "<script" not in html.lower()
    assert "&lt;script&gt;document.title=" in html  # shown as text, in the evidence and the title
    assert "javascript:" not in html
    quarantine = html.split('id="quarantine"')[1].split("</table>")[0]
    assert re.search(r"<td>articles</td><td>expect_column_values_to_match_regex</td><td class=\"n\">1</td>", quarantine)
    assert safe_link("javascript:alert(1)") is None and safe_link(" https://a.example/x ") == "https://a.example/x"


class _Resources(HTMLParser):
    """Every attribute that would make a browser fetch something, and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[tuple[str, str, str]] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if tag == "a" and name == "href":
                self.links.append(value or "")
            elif name in ("src", "href", "srcset", "data", "poster", "action", "xlink:href") and value:
                self.fetches.append((tag, name, value))


def test_the_page_loads_nothing_from_outside(data, tmp_path, capsys, monkeypatch):
    html = report(capsys, monkeypatch, data, tmp_path / "r.html", "--no-data-docs")
    parser = _Resources()
    parser.feed(html)
    outside = [f for f in parser.fetches if not f[2].startswith("#")]  # '#id': SVG markers in the page
    assert outside == []  # no script, stylesheet, image, font or frame from anywhere
    assert all(link.startswith(("https://outlet-", "#")) for link in parser.links), parser.links
    assert "@import" not in html and not re.search(r"url\((?!#)", html) and "<link" not in html
    assert "default-src 'none'" in html  # and the page's CSP forbids it anyway


def test_reference_cross_check_on_a_constructed_table(data, reference_csv, tmp_path, capsys, monkeypatch):
    days, undated = ref.read_reference(reference_csv)
    # A wave goes on the day it ended; only the national command's rows count.
    assert undated == 0 and days[date(2025, 4, 14)] == ref.ReferenceDay(date(2025, 4, 14), 110, 87, 2)
    assert days[date(2025, 4, 13)].destroyed == 30
    html = report(capsys, monkeypatch, data, tmp_path / "r.html", "--no-data-docs", "--reference", str(reference_csv))
    table = html.split('id="reference-table"')[1].split("</table>")[0]
    rows = [re.findall(r"<td[^>]*>([^<]*)</td>", r) for r in table.split("<tr>")[2:]]
    # Days both cover: 14 April (our twelve drones over the Kyiv region against 87) and 13 April (no
    # interception of ours over Ukraine that day, 30 in the reference); 2 May is not in our data.
    assert rows == [["2025-04-14", "1", "12", "110", "87", "14%"], ["2025-04-13", "0", "–", "40", "30", "–"]], rows
    assert "coverage of the sources read</b>, not truth" in html


def test_reference_cross_check_on_the_shared_table(data, shared, tmp_path, capsys, monkeypatch):
    path = shared / "inputs" / "reference" / "missile_attacks_daily.csv"
    days, undated = ref.read_reference(path)
    assert len(days) > 500 and undated == 0
    html = report(capsys, monkeypatch, data, tmp_path / "r.html", "--no-data-docs", "--reference", str(path))
    want = days[date(2025, 4, 14)]
    assert re.search(rf"<td>2025-04-14</td><td class=\"n\">1</td><td class=\"n\">12</td>\s*"
                     rf"<td class=\"n\">{want.launched}</td><td class=\"n\">{want.destroyed}</td>", html)


def test_without_a_reference_the_section_says_so(data, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("INCIDENTS_REFERENCE", raising=False)
    html = report(capsys, monkeypatch, data, tmp_path / "r.html", "--no-data-docs")
    assert 'id="reference-missing"' in html and "--reference PATH" in html


def test_disagreement_says_how_far_reports_go_apart():
    ev = {"killed_min": 20, "killed_max": 32, "injured_min": 5, "injured_max": 5, "n_sources": 4}
    assert disagreement(ev) == "killed 20–32, injured 5 from 4 outlets"
    assert disagreement({"n_sources": 1}) == "no figures, from 1 outlet"


def test_data_docs_are_built_offline_and_linked(data, docs_report):
    html = docs_report.read_text(encoding="utf-8")
    index = data / "docs" / "index.html"
    assert index.exists() and f'href="{os.path.relpath(index, docs_report.parent)}"' in html
    pages = list((data / "docs").rglob("*.html"))
    assert len(pages) == 5  # the index, the two suites, the validation results of articles and incidents
    text = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    assert "incidents_contract" in text and "articles_contract" in text
    assert not re.search(r"<(script|link)\b[^>]*(src|href)=[\"']https?://", text)
    assert not [p for p in data.iterdir() if p.name.startswith(".docs")]  # no build folder left beside it


def _validation_page(docs: Path, table: str) -> str:
    """The text of a table's validation result page (tags dropped, spaces collapsed)."""
    pages = list((docs / "validations" / f"{table}_contract").rglob("*.html"))
    assert len(pages) == 1, pages
    return re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", pages[0].read_text(encoding="utf-8")))


def test_data_docs_show_what_the_run_found_quarantined_rows_included(data, docs_report):
    run_id = _one(data, "SELECT run_id FROM runs")["run_id"]
    page = _validation_page(data / "docs", "articles")
    # j1's javascript: link broke the articles contract: quarantined, and failing in GX's own page
    # over the 7 articles the run validated (not the 6 it loaded), with the value as its example
    # (GX's percentage is of the 6 that have a URL).
    assert "Status: Failed" in page and f"Run Name {run_id}" in page
    assert "1 unexpected values found. ≈16.67% of 7 total rows." in page
    assert "Unexpected Value Count javascript:alert(1) 1" in page
    incidents = _validation_page(data / "docs", "incidents")
    assert "Status: Succeeded" in incidents and "unexpected values found" not in incidents
    stored = _one(data, "SELECT success, rules_failed, rows_checked, batches FROM validations "
                        "WHERE table_name = 'articles' AND run_id = $r", {"r": run_id})
    assert stored == {"success": False, "rules_failed": 1, "rows_checked": 7, "batches": 2}


def test_data_docs_are_built_from_the_stored_results_not_the_rows(data, tmp_path, capsys, monkeypatch):
    """With every article and incident row gone from a copy of the warehouse, the Data Docs still
    show the counts the run found: the report validates nothing again, it renders what the run kept."""
    copy = tmp_path / "data"
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("docs", "lake", ".prefect"))
    con = duckdb.connect(str(copy / "warehouse.duckdb"))
    try:
        con.execute("DELETE FROM event_members; DELETE FROM incidents; DELETE FROM article_sources; DELETE FROM articles")
    finally:
        con.close()
    report(capsys, monkeypatch, copy, tmp_path / "r.html")
    assert _one(copy, "SELECT count(*) AS n FROM articles")["n"] == 0
    page = _validation_page(copy / "docs", "articles")
    assert "1 unexpected values found. ≈16.67% of 7 total rows." in page and "rows 7" in page
    incidents = _one(data, "SELECT count(*) AS n FROM incidents")["n"]
    assert f"rows {incidents}" in _validation_page(copy / "docs", "incidents")


def test_after_a_run_that_validated_nothing_the_docs_show_the_contracts_only(
    prefect_engine, data, tmp_path, capsys, monkeypatch
):
    from flows.pipeline import ingest

    copy = tmp_path / "data"
    shutil.copytree(data, copy, ignore=shutil.ignore_patterns("docs", ".prefect", "report.html"))
    specs = [SourceSpec(name=n, kind="jsonl", location=str(data.parent / f"{n}.jsonl")) for n in ("outlet-one", "outlet-two")]
    again = ingest(specs, Settings(data_dir=copy))
    assert not again.changed and again.articles_new == 0  # unchanged sources: nothing written
    html = report(capsys, monkeypatch, copy, tmp_path / "r.html")
    # the page still shows the run that loaded the rows, and when the sources were checked since
    assert "Sources last checked" in html and "(nothing new since)" in html
    assert (copy / "docs" / "validations").is_dir()

    broken = ingest([SourceSpec(name="gone", kind="jsonl", location=str(tmp_path / "missing.jsonl"))],
                    Settings(data_dir=copy))
    assert broken.source_errors and not broken.changed  # logged in `runs`: it validated nothing
    html = report(capsys, monkeypatch, copy, tmp_path / "r2.html")
    assert "The last run validated no new rows" in html and "Sources last checked" not in html
    assert (copy / "docs" / "index.html").exists() and not (copy / "docs" / "validations").exists()
    assert {p.name for p in (copy / "docs" / "expectations").glob("*.html")} == {
        "articles_contract.html", "incidents_contract.html"}


# ---------------------------------------------------------------- in a real browser

BROWSERS = ("chromium-headless-shell", "chromium")
ARTIFACTS = REPO / "tests" / "artifacts"


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    message = "headless Chromium is not installed (apt-get install chromium-headless-shell; .ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(message)  # CI must never pass without the browser test
    pytest.skip(message)


def _chromium(browser: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={tmp / 'profile'}",
             "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]  # no network for the page
    return subprocess.run([browser, *flags, *args], check=False, capture_output=True, text=True, timeout=90)


def test_the_report_draws_in_headless_chromium_offline(data, reference_csv, tmp_path, capsys, monkeypatch):
    browser = _browser()
    out = tmp_path / "report.html"
    report(capsys, monkeypatch, data, out, "--no-data-docs", "--reference", str(reference_csv))
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    done = _chromium(browser, tmp_path, "--window-size=1280,2400", f"--screenshot={shot}", out.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000, done.stderr[-2000:]
    dom = _chromium(browser, tmp_path, "--dump-dom", "--virtual-time-budget=2000", out.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    page = dom.stdout
    # The browser parsed the charts and the map as SVG: bars, region outlines, points of both kinds.
    for gid in ("bars-interception", "bars-impact", "bars-drone", "bars-missile", "regions", "borders",
                "points-interception", "points-impact"):
        assert re.search(rf'<g id="{gid}"', page), gid
    regions = page.split('<g id="regions"')[1].split("</g>")[0]
    assert regions.count("<path") >= 30  # Ukraine's and western Russia's regions
    assert page.count("<svg") == 3
    # The latest evidence is on the page as text, the script tag inert, the title untouched.
    assert "A drone hit a house in Kharkiv overnight &lt;script&gt;" in page
    assert "<title>Air-war events" in page and "pwned" not in page.split("</title>")[0]
