"""Kill `incidents run` / `reprocess` at many checkpoints, cheaply: the crash test's driver.

Run by `tests/test_crash_anywhere.py` as one process: `python tests/crash_driver.py PLAN.json`.

A process start of the CLI costs ~9 s here, nearly all of it imports (GX, Prefect and its
server app, the gazetteer). The driver pays them once, with what the CLI builds once per
process (Prefect's server app, the gazetteer's index, GX's context and contracts), then forks:
every stage is a child that runs the real CLI (`incidents.cli.main`: the real flow on Prefect,
GX's validations, real Parquet and DuckDB) with `INCIDENTS_CRASH_AT=<the chain's points>` and
a skip file of the points already killed, so it dies by SIGKILL at the first of its points no
earlier stage died at; the next stage is the rerun that recovers and dies one point further
on. A chain ends with a stage that completes. After every stage a checker child reads what was
left (`warehouse.integrity`, and Prefect's SQLite database) and the report gets a line.

Prefect's API: for the storage chains, one server child for all stages (the app the CLI serves
on a thread, used through PREFECT_API_URL as any configured server: its ~2 s start is paid once);
for `own_server_chains`, the CLI's own server on a thread of the killed process, as `incidents
run` has it by default. The driver also runs the readers' load (`readers`): a run, and a child
querying the warehouse every half second beside it.

Forking is safe because the driver itself never starts a thread or opens a database: it checks
the thread count before each fork. Prefect reads PREFECT_API_URL at import, so the driver fixes
the port every server listens on (INCIDENTS_PREFECT_PORT) and sets the URL before importing.

PLAN: {"data_dir", "clean_dir", "batch_size", "report", "clean": argv, "chains" and
"own_server_chains": [{"name", "argv", "points"}], "readers": {"data_dir", "batch_size",
"interval_s", "argv"}}; optional: "env" (set for every stage, e.g. AWS_* for a lake on an S3
server), and per chain "data_dir" (instead of the plan's) and "lake" (the URL its argv passes
with --lake, for the checks).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(plan: dict, port: int) -> None:
    data_dir = Path(plan["data_dir"])
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(_prefect_env(plan, port))
    os.environ["INCIDENTS_WORKERS"] = "1"
    os.environ["INCIDENTS_BATCH_SIZE"] = str(plan["batch_size"])
    os.environ.update(plan.get("env", {}))
    for key in ("INCIDENTS_CRASH_AT", "INCIDENTS_CRASH_SKIP", "INCIDENTS_CRASH_TRACE", "INCIDENTS_DATA_DIR"):
        os.environ.pop(key, None)
    from runtime.settings import apply_environment, load_settings

    apply_environment(load_settings(data_dir))
    import expectations  # before GX: it defers GX's unused imports (expectations/lazy.py)

    # isort: split
    # Everything a stage imports, imported once (none of these starts a thread).
    import great_expectations  # noqa: F401
    import uvicorn  # noqa: F401
    from prefect.server.api.server import create_app

    import expectations.validate  # noqa: F401
    import flows.pipeline  # noqa: F401
    import incidents.cli  # noqa: F401
    import warehouse.integrity  # noqa: F401
    from flows.parallel import _warm

    create_app(ephemeral=True, final=True)  # cached: a child's own server starts from it
    _warm()
    # GX's ephemeral context and the contracts' validation definitions, cached per process as
    # the CLI builds them on a run's first validation (~1 s a stage, ~40 stages).
    from expectations.suites import SUITES
    from expectations.validate import _definition

    for table in SUITES:
        _definition(table)


def _prefect_env(plan: dict, port: int) -> dict[str, str]:
    return {
        "PREFECT_HOME": str(Path(plan["data_dir"]) / ".prefect"),
        "INCIDENTS_PREFECT_PORT": str(port),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "PREFECT_UI_ENABLED": "false",
    }


def _start_shared_server() -> tuple[int, int]:
    """A child that serves Prefect's API (the app the CLI serves on a thread) for the stages
    that use it as any configured PREFECT_API_URL; returns (pid, fd to read "ready" from)."""
    read_fd, write_fd = os.pipe()

    def serve() -> int:
        os.close(read_fd)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # for sigwait, in every thread
        os.environ.pop("PREFECT_API_URL")
        from incidents import prefect_home
        from incidents.server import start_run_server

        prefect_home.seed(Path(os.environ["PREFECT_HOME"]))
        server = start_run_server()
        server.wait()
        os.write(write_fd, b"ready\n")
        signal.sigwait({signal.SIGTERM})
        server.stop()
        return 0

    pid = _spawn(serve, Path(os.environ["PREFECT_HOME"]).parent.parent / "shared-server.log")
    os.close(write_fd)
    return pid, read_fd


def _fork(body, log: Path) -> int:
    """Run `body()` in a child; returns the raw wait status."""
    _, status = os.waitpid(_spawn(body, log), 0)
    return status


def _spawn(body, log: Path) -> int:
    """Start `body()` in a child (output to `log`); returns its pid."""
    if threading.active_count() != 1:
        raise RuntimeError("the driver started a thread: forking now is not safe")
    sys.stdout.flush()
    sys.stderr.flush()
    driver = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _die_with_the_driver(driver)
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            code = body() or 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # noqa: BLE001 - shown in the stage's log
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            try:
                import atexit

                atexit._run_exitfuncs()
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    return pid


def _die_with_the_driver(driver: int) -> None:
    """In a child: SIGKILL when the driver dies. Killed at the test's timeout, the driver gets
    no `finally`, and its shared Prefect server (which waits for a SIGTERM only the driver
    sends) was left running on the machine."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != driver:  # the driver died before the line above
        os._exit(1)


def _cli(argv: list[str], data_dir: Path, crash: dict[str, str], own_server: bool):
    def body() -> int:
        if own_server:  # the CLI starts its own server on a thread, on the driver's port
            os.environ.pop("PREFECT_API_URL")
        os.environ.update(crash)
        from warehouse import crashpoints

        crashpoints.configure()
        sys.argv = ["incidents", *argv, "--data-dir", str(data_dir), "--json"]
        from incidents.cli import main

        main()
        return 0

    return body


def _check(data_dir: Path, out: Path, complete: bool, lake: str | None = None):
    def body() -> int:
        from warehouse import integrity

        result = {"crash_problems": integrity.crash_problems(data_dir, lake)}
        if complete:
            result["complete_problems"] = integrity.complete_problems(data_dir, lake)
            result["content"] = integrity.digest(integrity.content(data_dir))
        result["prefect"] = _prefect_runs(data_dir)
        out.write_text(json.dumps(result), encoding="utf-8")
        return 0

    return body


def _prefect_runs(data_dir: Path) -> dict:
    import sqlite3

    db = data_dir / ".prefect" / "prefect.db"
    if not db.exists():
        return {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        ok = con.execute("PRAGMA quick_check").fetchone()[0]
        rows = con.execute("SELECT state_type, count(*) FROM flow_run GROUP BY state_type").fetchall()
    return {"quick_check": ok, "flow_runs": dict(rows)}


def _stage(
    argv: list[str], data_dir: Path, work: Path, tag: str, crash: dict[str, str], *, own_server: bool,
    complete_check: bool = False, lake: str | None = None,
) -> dict:
    trace = work / f"{tag}.trace"
    started = time.monotonic()
    cli = _cli(argv, data_dir, {**crash, "INCIDENTS_CRASH_TRACE": str(trace)}, own_server)
    status = _fork(cli, work / f"{tag}.log")
    seconds = time.monotonic() - started
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    lines = trace.read_text(encoding="utf-8").splitlines() if trace.exists() else []
    kills = [ln.split(" ", 1)[1] for ln in lines if ln.startswith("kill ")]
    check_out = work / f"{tag}.check.json"
    check = _check(data_dir, check_out, complete=not killed or complete_check, lake=lake)
    check_status = _fork(check, work / f"{tag}.check.log")
    check = json.loads(check_out.read_text(encoding="utf-8")) if check_out.exists() else {"error": check_status}
    return {
        "tag": tag, "argv": argv, "killed": killed, "point": kills[-1] if kills else None,
        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "seconds": round(seconds, 2), "passed": len(lines), "log": str(work / f"{tag}.log"), **check,
    }


def _chain(chain: dict, data_dir: Path, work: Path, *, own_server: bool, limit: int) -> dict:
    """Kill `chain["argv"]` at each of its points in turn (`chain["points"]`: crash patterns),
    one rerun per point, until a rerun completes."""
    skip = work / f"{chain['name']}.skip"
    skip.touch()
    stages = []
    crash = {"INCIDENTS_CRASH_AT": chain.get("points", "*"), "INCIDENTS_CRASH_SKIP": str(skip)}
    data_dir = Path(chain.get("data_dir", data_dir))
    for i in range(limit):
        st = _stage(chain["argv"], data_dir, work, f"{chain['name']}-{i:02d}", crash, own_server=own_server,
                    lake=chain.get("lake"))
        stages.append(st)
        if not st["killed"]:
            break
        with open(skip, "a", encoding="utf-8") as fh:
            fh.write(f"{st['point']}\n")
    return {"name": chain["name"], "own_server": own_server, "stages": stages}


# One query, as an analyst's `incidents sql` runs it (sandboxed, read-only, waiting out a load).
READER_SQL = """
SELECT (SELECT count(*) FROM articles) AS articles,
       (SELECT count(*) FROM incidents) AS incidents,
       (SELECT count(*) FROM incidents i
         WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = i.article_id)) AS orphans,
       (SELECT count(*) FROM event_members m
         WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.incident_id = m.incident_id)) AS member_orphans
"""


def _reader(data_dir: Path, out: Path, interval_s: float):
    """Query every `interval_s` until SIGTERM (then once more); one JSON line per query."""

    def body() -> int:
        from warehouse import duck

        stop = []
        signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
        with open(out, "a", encoding="utf-8") as fh:
            while True:
                last = bool(stop)
                began = time.monotonic()
                row: dict = {"at": round(time.time(), 3)}
                try:
                    row.update(duck.query(data_dir / "warehouse.duckdb", READER_SQL).to_pylist()[0])
                except duck.WarehouseError as exc:
                    row["error"] = str(exc)
                row["seconds"] = round(time.monotonic() - began, 3)
                fh.write(json.dumps(row) + "\n")
                fh.flush()
                if last:
                    return 0
                time.sleep(max(0.0, interval_s - (time.monotonic() - began)))

    return body


def _readers(spec: dict, work: Path) -> dict:
    """A load (`spec["argv"]`) with a reader process querying beside it."""
    data_dir, out = Path(spec["data_dir"]), work / "reader-answers.jsonl"
    reader = _spawn(_reader(data_dir, out, spec.get("interval_s", 0.5)), work / "reader.log")
    time.sleep(0.5)  # the reader is up (and finds no warehouse yet) before the run starts
    load_started = time.time()
    env = {"INCIDENTS_BATCH_SIZE": str(spec["batch_size"])}
    status = _fork(_cli(spec["argv"], data_dir, env, own_server=False), work / "readers-run.log")
    load_finished = time.time()
    os.kill(reader, signal.SIGTERM)
    os.waitpid(reader, 0)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {"exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1, "log": str(work / "readers-run.log"),
            "load_started": load_started, "load_finished": load_finished, "answers": rows}


def main(plan_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    data_dir, clean_dir = Path(plan["data_dir"]), Path(plan["clean_dir"])
    work = Path(plan["report"]).parent
    port = _free_port()
    t0 = time.monotonic()
    _prepare(plan, port)
    report: dict = {"prepare_seconds": round(time.monotonic() - t0, 1)}
    server, ready = _start_shared_server()
    started = time.monotonic()
    limit = plan.get("max_stages", 40)
    try:
        with os.fdopen(ready) as fh:
            if fh.readline().strip() != "ready":
                raise RuntimeError("the shared Prefect server did not start")
        report["clean"] = _stage(plan["clean"], clean_dir, work, "clean", {}, own_server=False, complete_check=True)
        report["chains"] = [_chain(c, data_dir, work, own_server=False, limit=limit) for c in plan["chains"]]
        if plan.get("readers"):
            report["readers"] = _readers(plan["readers"], work)
    finally:  # never left running, whatever failed
        os.kill(server, signal.SIGTERM)
        os.waitpid(server, 0)
    # Prefect's side (the flow's end, the server writing what it received) with the server on a
    # thread of the killed process, as `incidents run` runs by default; the stage that completes
    # is the subsequent run that must succeed and be recorded.
    report["chains"] += [_chain(c, data_dir, work, own_server=True, limit=limit) for c in plan.get("own_server_chains", [])]
    report["chains_seconds"] = round(time.monotonic() - started, 1)
    Path(plan["report"]).write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main(sys.argv[1])
