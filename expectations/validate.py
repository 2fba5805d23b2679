"""Run a table's suite on a batch and say which rows broke which rule, and what GX counted.

One ephemeral GX context per process (no files, no analytics), built on first use;
validation definitions are cached per table. Row-level failures come back by a helper
row-number column, so duplicate keys still map to the exact rows. The batch's counts per rule
come back as an `Outcome` (`outcome.py`), which the run adds up and keeps for the Data Docs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from expectations.outcome import Outcome, batch_outcome
from expectations.suites import CHECKED_BY_LENGTH, SUITES

ROW = "_row"
_lock = threading.Lock()


@dataclass(frozen=True)
class Failure:
    row: int  # position in the frame given to validate()
    rule: str  # the expectation's name, e.g. expect_column_values_to_be_in_set
    reason: str


@dataclass(frozen=True)
class Checked:
    failures: list[Failure]  # rows that broke a rule (to quarantine)
    outcome: Outcome | None  # what GX counted per rule (None: an empty batch, nothing validated)


class ContractError(Exception):
    """A batch broke a table-level rule (a missing column): a bug, not bad data."""


@cache
def _context():
    import logging

    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)  # its INFO lines are noise in a batch log

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)  # batch jobs log, they do not draw
    return ctx


@cache
def _definition(table: str):
    import great_expectations as gx

    ctx = _context()
    suite = ctx.suites.add(gx.ExpectationSuite(name=f"{table}_contract"))
    for exp in SUITES[table]():
        suite.add_expectation(exp)
    source = ctx.data_sources.add_pandas(name=f"{table}_frames")
    asset = source.add_dataframe_asset(name=table)
    batch_def = asset.add_batch_definition_whole_dataframe(f"{table}_batch")
    return ctx.validation_definitions.add(
        gx.ValidationDefinition(name=f"{table}_validation", data=batch_def, suite=suite)
    )


def _describe(cfg: dict, value: object) -> str:
    kwargs = {k: v for k, v in cfg.items() if k not in ("batch_id", "result_format")}
    col = kwargs.pop("column", None) or f"({kwargs.pop('column_A', '')}, {kwargs.pop('column_B', '')})"
    shown = str(value.item() if hasattr(value, "item") else value)
    if len(shown) > 120:
        shown = shown[:117] + "..."
    rule = ", ".join(f"{k}={v}" for k, v in kwargs.items())
    return f"{col}={shown}: breaks {rule}" if rule else f"{col}={shown}"


def frame_for(rows: pa.Table, helpers: dict[str, object] | None = None) -> pd.DataFrame:
    """The frame a contract is checked on: large text columns replaced by their lengths,
    plus helper columns (e.g. the article length an evidence offset must stay within)."""
    large = [c for c in rows.column_names if c in CHECKED_BY_LENGTH]
    frame = rows.drop_columns(large).to_pandas()
    for c in large:
        frame[CHECKED_BY_LENGTH[c]] = pc.utf8_length(rows.column(c)).to_pandas()
    for name, values in (helpers or {}).items():
        frame[name] = values
    return frame


def validate(table: str, frame: pd.DataFrame) -> Checked:
    """Validate `frame` against the table's contract: its row-level failures and GX's counts."""
    if frame.empty:
        return Checked([], None)
    data = frame.reset_index(drop=True).copy()
    data[ROW] = range(len(data))
    with _lock:  # GX contexts are not thread-safe
        # Pass/fail first, the failing rows only when something failed: the row lists cost
        # twice the time of the checks on a good batch, and nearly every batch is good.
        result = _definition(table).run(
            batch_parameters={"dataframe": data}, result_format={"result_format": "BOOLEAN_ONLY"}
        )
        if not result.success:
            result = _definition(table).run(
                batch_parameters={"dataframe": data},
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW]},
            )
        _release(table)
    return Checked(_failures(table, result, data), batch_outcome(table, result, data))


def _release(table: str) -> None:
    """Drop the batch GX keeps after a validation: its execution engine holds the last batch's frame
    and the metrics computed on it until the next batch of the table replaces them (~40 MB for a
    55,000-incident batch, held while the next batch is extracted). Private attributes of GX 1.x's
    pandas engine, pinned by the lock file; `tests/test_gx_footprint.py` fails if they move."""
    engine = _definition(table).data.data_asset.datasource.get_execution_engine()
    engine.batch_manager.reset_batch_cache()
    engine.batch_manager._batch_data_cache.clear()
    engine._metric_cache.clear()


def _failures(table: str, result, data: pd.DataFrame) -> list[Failure]:
    failures: list[Failure] = []
    for res in result.results:
        if res.success:
            continue
        cfg = res.expectation_config
        name = cfg.type
        kwargs = dict(cfg.kwargs)
        indices = res.result.get("unexpected_index_list")
        if indices is None:
            raise ContractError(f"{table}: {name} failed for the whole batch: {kwargs}")
        for item in indices:
            row = int(item[ROW]) if isinstance(item, dict) else int(item)
            cols = [c for c in (kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B")) if c]
            value = tuple(data.at[row, c] for c in cols) if len(cols) > 1 else data.at[row, cols[0]]
            failures.append(Failure(row=row, rule=name, reason=_describe(kwargs, value)))
    return failures
