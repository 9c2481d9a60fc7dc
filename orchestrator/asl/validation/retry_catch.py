"""``Retry`` and ``Catch``: error names, retrier numbers (ASL spec ranges, AWS's upper bounds), catchers."""

from __future__ import annotations

from typing import Any

from orchestrator.asl.validation.fields import CATCHER_FIELDS, RETRIER_FIELDS
from orchestrator.asl.validation.paths import check_path, check_payload_template
from orchestrator.asl.validation.report import JSONATA, JSONPATH, Report, at, is_kind, language_message
from orchestrator.asl.validation.variables import check_assign

STATES_ALL = "States.ALL"
MAX_SECONDS = 99_999_999
MAX_DELAY_SECONDS = 31_622_401
JITTER_STRATEGIES = ("FULL", "NONE")


def check_retry(report: Report, retriers: Any, path: str) -> None:
    """Each retrier: known fields, non-empty ``ErrorEquals``, numbers in range; ``States.ALL`` last."""
    if not report.expect(retriers, path, "ARRAY"):
        return
    for index, retrier in enumerate(retriers):
        where = at(path, index)
        if not report.expect(retrier, where, "OBJECT"):
            continue
        report.required(retrier, where, ("ErrorEquals",))
        report.unsupported(retrier, where, RETRIER_FIELDS)
        _check_error_equals(report, retrier, where, last=index == len(retriers) - 1, kind="Retrier")
        _check_integer(report, retrier, where, "IntervalSeconds", 1, MAX_SECONDS)
        _check_integer(report, retrier, where, "MaxAttempts", 0, MAX_SECONDS)
        _check_integer(report, retrier, where, "MaxDelaySeconds", 1, MAX_DELAY_SECONDS)
        _check_backoff_rate(report, retrier, where)
        if "JitterStrategy" in retrier and retrier["JitterStrategy"] not in JITTER_STRATEGIES:
            report.error(at(where, "JitterStrategy"), "Value should be one of the following: [FULL, NONE]")
        if "Comment" in retrier:
            report.expect(retrier["Comment"], at(where, "Comment"), "STRING")


def check_catch(report: Report, catchers: Any, path: str, language: str) -> None:
    """Each catcher: ``ErrorEquals`` and ``Next``, a ``ResultPath`` (JSONPath) or ``Output`` (JSONata)."""
    if not report.expect(catchers, path, "ARRAY"):
        return
    for index, catcher in enumerate(catchers):
        where = at(path, index)
        if not report.expect(catcher, where, "OBJECT"):
            continue
        report.required(catcher, where, ("ErrorEquals", "Next"))
        report.unsupported(catcher, where, CATCHER_FIELDS)
        _check_error_equals(report, catcher, where, last=index == len(catchers) - 1, kind="Catcher")
        if "Next" in catcher:
            report.expect(catcher["Next"], at(where, "Next"), "STRING")
        if language == JSONATA and "ResultPath" in catcher:
            report.error(where, language_message(JSONATA, "ResultPath"))
        if language == JSONPATH and "Output" in catcher:
            report.error(where, language_message(JSONPATH, "Output"))
        check_path(report, catcher, where, "ResultPath", reference=True)
        if language == JSONPATH and "Assign" in catcher:
            check_payload_template(report, catcher["Assign"], at(where, "Assign"))
        if "Assign" in catcher:
            check_assign(report, catcher["Assign"], at(where, "Assign"), language)


def _check_backoff_rate(report: Report, retrier: dict[str, Any], path: str) -> None:
    """ASL: "The value of BackoffRate MUST be greater than or equal to 1.0"."""
    if "BackoffRate" not in retrier or not report.expect(
        retrier["BackoffRate"], at(path, "BackoffRate"), "NUMBER"
    ):
        return
    if retrier["BackoffRate"] < 1.0:
        report.error(
            at(path, "BackoffRate"), "The value of 'BackoffRate' must be greater than or equal to 1.0"
        )


def _check_error_equals(report: Report, rule: dict[str, Any], path: str, *, last: bool, kind: str) -> None:
    if "ErrorEquals" not in rule or not report.expect(rule["ErrorEquals"], at(path, "ErrorEquals"), "ARRAY"):
        return
    errors: list[Any] = rule["ErrorEquals"]
    if not errors:
        report.error(at(path, "ErrorEquals"), "The field 'ErrorEquals' must contain at least one error name")
    for index, name in enumerate(errors):
        report.expect(name, at(at(path, "ErrorEquals"), index), "STRING")
    if STATES_ALL in errors:
        if len(errors) > 1:
            report.error(
                at(path, "ErrorEquals"), f"'{STATES_ALL}' must appear alone in an 'ErrorEquals' array"
            )
        if not last:
            report.error(path, f"A {kind} with '{STATES_ALL}' in its 'ErrorEquals' must be the last one")


def _check_integer(report: Report, rule: dict[str, Any], path: str, field: str, low: int, high: int) -> None:
    if field not in rule:
        return
    value = rule[field]
    if not is_kind(value, "INTEGER"):
        report.error(at(path, field), "Expected value of type [INTEGER]")
    elif not low <= value <= high:
        report.error(at(path, field), f"The value of '{field}' must be between {low} and {high}")
