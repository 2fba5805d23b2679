"""What a run's validations found, per table, kept so that GX's Data Docs need no second validation.

The pipeline validates batch by batch on an ephemeral context (`validate.py`), asking GX for
pass/fail only (BOOLEAN_ONLY) and, for a batch that failed, for everything (COMPLETE). An
`Outcome` adds up, per expectation, what those results say over all the batches of a run:
rows checked, rows with a value (the denominator of GX's "% unexpected"), unexpected rows, the
first unexpected values. At the end of the run `suite_result` turns it into one GX
`ExpectationSuiteValidationResult` per table, formatted by GX's own map-result formatter, which
the run stores (GX's JSON, `to_json`) beside its `runs` row; `incidents report` renders Data Docs
from it (`docs.py`) without touching a row.

A passing batch's counts are not in a BOOLEAN_ONLY result (GX computes and drops them), and asking
GX for them (BASIC) costs about a third more GX time per batch (measured on 10,000-row batches of
the benchmark), and GX is the main process's largest step in a run. They follow from the pass instead: no expectation of ours has `mostly`, so a pass
means no unexpected row among all the batch's rows; the rows with a value are counted here the
way GX's pandas engine counts them (`_with_values`). `tests/test_validation_outcome.py` holds
the result built this way to GX's own SUMMARY result over the same rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

PARTIAL = 20  # GX's default partial_unexpected_count: unexpected values kept as examples
NOT_NULL = "expect_column_values_to_not_be_null"  # GX gives no missing figure for it


@dataclass
class Tally:
    """One expectation's counts over the batches validated so far."""

    config: dict[str, Any]  # GX's expectation configuration: type and kwargs (no batch id)
    success: bool = True
    element_count: int = 0
    nonnull_count: int | None = None  # None: no missing figure (not-null and table-level rules)
    unexpected_count: int = 0
    sample: list[Any] = field(default_factory=list)  # the first PARTIAL unexpected values, in order
    table_result: dict[str, Any] | None = None  # a table-level rule's whole result (the columns seen)

    @property
    def is_map(self) -> bool:
        return "column" in self.config["kwargs"] or "column_A" in self.config["kwargs"]

    def add(self, other: Tally) -> None:
        self.success = self.success and other.success
        self.element_count += other.element_count
        if other.nonnull_count is not None:
            self.nonnull_count = (self.nonnull_count or 0) + other.nonnull_count
        self.unexpected_count += other.unexpected_count
        self.sample = (self.sample + other.sample)[:PARTIAL]
        self.table_result = other.table_result or self.table_result


@dataclass
class Outcome:
    """A table's tallies over the batches validated so far, in the suite's order."""

    table: str
    suite: str = ""  # the GX suite's name
    batches: int = 0
    rows: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)  # by `_key` of the configuration

    def add(self, other: Outcome) -> None:
        self.suite = self.suite or other.suite
        self.batches += other.batches
        self.rows += other.rows
        for key, tally in other.tallies.items():
            if key in self.tallies:
                self.tallies[key].add(tally)
            else:
                self.tallies[key] = replace(tally, sample=list(tally.sample))


def merge(into: dict[str, Outcome], outcomes: dict[str, Outcome]) -> None:
    """Add per-table outcomes into `into` (the run's running total)."""
    for table, outcome in outcomes.items():
        into.setdefault(table, Outcome(table)).add(outcome)


def _key(config: dict[str, Any]) -> str:
    # By content, not GX's expectation id: a context built in another process has other ids.
    return json.dumps(config, sort_keys=True, default=str)


def _config(expectation_config) -> dict[str, Any]:
    kwargs = {k: v for k, v in expectation_config.kwargs.items() if k not in ("batch_id", "result_format")}
    return {"type": expectation_config.type, "kwargs": kwargs}


def _plain(value: Any) -> Any:
    """Numpy scalars as Python's, in lists and dicts too (tuples, a pair's values, stay tuples:
    GX counts them; GX's JSON makes them lists)."""
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value.item() if hasattr(value, "item") and not isinstance(value, (str, bytes)) else value


def _with_values(config: dict[str, Any], frame: pd.DataFrame, non_null: pd.Series) -> int | None:
    """Rows GX's pandas engine counts as having a value for a map rule (None: it gives no such
    figure): a column's non-null rows (`non_null`, per column); for a column pair, rows not
    ignored by `ignore_row_if`."""
    kwargs = config["kwargs"]
    if config["type"] == NOT_NULL or not ("column" in kwargs or "column_A" in kwargs):
        return None
    if "column" in kwargs:
        return int(non_null[kwargs["column"]])
    a, b = frame[kwargs["column_A"]].isna(), frame[kwargs["column_B"]].isna()
    ignore = kwargs.get("ignore_row_if", "both_values_are_missing")
    skipped = {"both_values_are_missing": a & b, "either_value_is_missing": a | b}.get(ignore)
    return len(frame) - (int(skipped.sum()) if skipped is not None else 0)


_TABLE_RESULTS: dict[tuple, dict[str, Any]] = {}  # (rule, columns) -> a passed table-level rule's result


def _table_result(expectation_config, columns: tuple[str, ...]) -> dict[str, Any]:
    """A passed table-level rule's result, as GX's own `_validate` makes it from the one metric it
    reads (the frame's columns). The same for every batch of a run: computed once."""
    key = (_key(_config(expectation_config)), columns)
    if key not in _TABLE_RESULTS:
        expectation = expectation_config.to_domain_obj()
        _TABLE_RESULTS[key] = _plain(expectation._validate(metrics={"table.columns": list(columns)})["result"])
    return _TABLE_RESULTS[key]


def _tally(res, frame: pd.DataFrame, non_null: pd.Series) -> Tally:
    """One expectation's counts in one batch, from GX's result (counts where GX gave them)."""
    config = _config(res.expectation_config)
    result = res.result or {}
    tally = Tally(config=config, success=bool(res.success))
    if not tally.is_map:
        tally.table_result = _plain(result) if result else _table_result(res.expectation_config, tuple(frame.columns))
    elif "element_count" in result:  # a failed batch's COMPLETE result: GX's own counts
        tally.element_count = int(result["element_count"])
        tally.unexpected_count = int(result.get("unexpected_count") or 0)
        missing = result.get("missing_count")
        tally.nonnull_count = None if missing is None else tally.element_count - int(missing)
        tally.sample = [_plain(v) for v in (result.get("partial_unexpected_list") or [])][:PARTIAL]
    else:
        if not res.success:
            raise ValueError(f"{config['type']} failed without counts (BOOLEAN_ONLY): ask GX for COMPLETE")
        tally.element_count = len(frame)
        tally.nonnull_count = _with_values(config, frame, non_null)
    return tally


def batch_outcome(table: str, result, frame: pd.DataFrame) -> Outcome:
    """One batch's outcome from GX's suite result on `frame` (the frame GX validated)."""
    outcome = Outcome(table, suite=result.suite_name, batches=1, rows=len(frame))
    non_null = frame.notna().sum()
    for res in result.results:
        tally = _tally(res, frame, non_null)
        outcome.tallies[_key(tally.config)] = tally
    return outcome


def suite_result(outcome: Outcome, run_name: str, run_time: datetime):
    """One GX ExpectationSuiteValidationResult for all the batches of `outcome`: each rule's
    result is what GX's SUMMARY format says for these counts and the first unexpected values."""
    import great_expectations as gx
    from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.expectations.expectation import _format_map_output, parse_result_format
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    summary = parse_result_format({"result_format": "SUMMARY", "partial_unexpected_count": PARTIAL})
    results = []
    for tally in outcome.tallies.values():
        if tally.is_map:
            body = _format_map_output(
                result_format=summary, success=tally.success, element_count=tally.element_count,
                nonnull_count=tally.nonnull_count, unexpected_count=tally.unexpected_count,
                unexpected_list=list(tally.sample),
            )["result"]
        else:
            body = tally.table_result or {}
        results.append(ExpectationValidationResult(
            success=tally.success, expectation_config=ExpectationConfiguration(**tally.config), result=body,
        ))
    passed = sum(r.success for r in results)
    run_id = RunIdentifier(run_name=run_name, run_time=run_time)
    return ExpectationSuiteValidationResult(
        success=passed == len(results), results=results, suite_name=outcome.suite,
        statistics={"evaluated_expectations": len(results), "successful_expectations": passed,
                    "unsuccessful_expectations": len(results) - passed,
                    "success_percent": 100.0 * passed / len(results) if results else None},
        meta={
            "great_expectations_version": gx.__version__, "run_id": run_id, "validation_time": run_time,
            "active_batch_definition": {"datasource_name": f"{outcome.table}_frames", "data_asset_name": outcome.table,
                                        "batch_identifiers": {"run": run_name}},
            "batch_spec": {"data_asset_name": outcome.table, "batches": outcome.batches, "rows": outcome.rows},
        },
    )


def to_json(result) -> str:
    """GX's own serialization of a suite result (what its validation results store writes)."""
    from great_expectations.core.expectation_validation_result import expectationSuiteValidationResultSchema

    return expectationSuiteValidationResultSchema.dumps(result)


def from_json(text: str):
    from great_expectations.core.expectation_validation_result import expectationSuiteValidationResultSchema

    return expectationSuiteValidationResultSchema.loads(text)


def stored(outcomes: dict[str, Outcome], run_name: str, run_time: datetime) -> list[dict[str, Any]]:
    """The run's rows of the `validations` table (model.schema.VALIDATIONS, less its `month`):
    one per table it validated, the suite result as GX's JSON."""
    rows = []
    for table in sorted(outcomes):
        outcome = outcomes[table]
        result = suite_result(outcome, run_name, run_time)
        rows.append({
            "run_id": run_name, "table_name": table, "suite_name": result.suite_name, "success": result.success,
            "batches": outcome.batches, "rows_checked": outcome.rows,
            "rules_failed": result.statistics["unsuccessful_expectations"], "result": to_json(result),
        })
    return rows
