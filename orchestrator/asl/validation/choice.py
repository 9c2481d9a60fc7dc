"""Choice rules: one comparison (``Variable`` + one operator) or one of ``And``/``Or``/``Not`` per rule in
JSONPath states, a ``Condition`` in JSONata states; operand types per operator; ``Next`` only on top-level
rules."""

from __future__ import annotations

from typing import Any

from orchestrator.asl.models import COMPARISON_OPERATORS
from orchestrator.asl.validation.paths import check_payload_template, is_jsonata, is_path, is_timestamp
from orchestrator.asl.validation.report import JSONATA, JSONPATH, Report, at, language_message
from orchestrator.asl.validation.variables import check_assign

BOOLEAN_OPERATORS = ("And", "Or", "Not")
_TOP_LEVEL_FIELDS = frozenset({"Next", "Comment", "Assign", "Output"})


def check_choices(report: Report, state: dict[str, Any], path: str, language: str) -> None:
    """``Choices`` (a non-empty array of top-level rules) and ``Default``."""
    where = at(path, "Choices")
    if "Default" in state:
        report.expect(state["Default"], at(path, "Default"), "STRING")
    if "Choices" not in state or not report.expect(state["Choices"], where, "ARRAY"):
        return
    choices: list[Any] = state["Choices"]
    if not choices:
        report.error(where, "The field 'Choices' must contain at least one rule")
    for index, rule in enumerate(choices):
        check_rule(report, rule, at(where, index), language, top_level=True)


def check_rule(report: Report, rule: Any, path: str, language: str, *, top_level: bool) -> None:
    if not report.expect(rule, path, "OBJECT"):
        return
    if top_level:
        report.required(rule, path, ("Next",))
        if "Next" in rule:
            report.expect(rule["Next"], at(path, "Next"), "STRING")
        _check_language_fields(report, rule, path, language)
        if "Assign" in rule:
            check_assign(report, rule["Assign"], at(path, "Assign"), language)
    if language == JSONATA:
        _check_condition(report, rule, path, top_level=top_level)
    else:
        _check_comparison(report, rule, path, top_level=top_level)


def _check_language_fields(report: Report, rule: dict[str, Any], path: str, language: str) -> None:
    if language == JSONPATH:
        if "Output" in rule:
            report.error(path, language_message(JSONPATH, "Output"))
        if "Assign" in rule:
            check_payload_template(report, rule["Assign"], at(path, "Assign"))


def _check_condition(report: Report, rule: dict[str, Any], path: str, *, top_level: bool) -> None:
    allowed = {"Condition", "Comment"} | (_TOP_LEVEL_FIELDS if top_level else set())
    for name in rule:
        if name in COMPARISON_OPERATORS or name in BOOLEAN_OPERATORS or name == "Variable":
            report.error(path, language_message(JSONATA, name))
        elif name not in allowed:
            report.error(path, f"Field '{name}' is not supported")
    if report.required(rule, path, ("Condition",)):
        condition = rule["Condition"]
        if not (isinstance(condition, bool) or is_jsonata(condition)):
            report.error(
                at(path, "Condition"), "The value for the field 'Condition' must be a JSONata expression"
            )


def _check_comparison(report: Report, rule: dict[str, Any], path: str, *, top_level: bool) -> None:
    operators = [name for name in rule if name in COMPARISON_OPERATORS]
    combinators = [name for name in rule if name in BOOLEAN_OPERATORS]
    allowed = COMPARISON_OPERATORS | set(BOOLEAN_OPERATORS) | {"Variable", "Comment"}
    allowed |= _TOP_LEVEL_FIELDS if top_level else set()
    for name in rule:
        if name == "Condition":
            report.error(path, language_message(JSONPATH, name))
        elif name not in allowed:
            report.error(path, f"Field '{name}' is not supported")
    if len(operators) + len(combinators) != 1:
        if len(operators) + len(combinators) == 0:
            report.error(
                path, "A Choice rule must have exactly one comparison operator, 'And', 'Or' or 'Not'"
            )
        else:
            found = ", ".join(operators + combinators)
            report.error(path, f"A Choice rule must have exactly one comparison operator, found: [{found}]")
    if operators:
        if report.required(rule, path, ("Variable",)) and not is_path(rule["Variable"]):
            report.error(at(path, "Variable"), "The value for the field 'Variable' must be a valid JSONPath")
        for name in operators:
            _check_operand(report, name, rule[name], at(path, name))
    elif "Variable" in rule and combinators:
        report.error(path, "Field 'Variable' is not supported")
    for name in combinators:
        _check_combinator(report, name, rule[name], at(path, name))


def _check_combinator(report: Report, name: str, value: Any, path: str) -> None:
    if name == "Not":
        check_rule(report, value, path, JSONPATH, top_level=False)
        return
    if not report.expect(value, path, "ARRAY"):
        return
    if not value:
        report.error(path, f"The field '{name}' must contain at least one rule")
    for index, rule in enumerate(value):
        check_rule(report, rule, at(path, index), JSONPATH, top_level=False)


def _check_operand(report: Report, operator: str, operand: Any, path: str) -> None:
    if operator.endswith("Path"):
        if not is_path(operand):
            report.error(path, f"The value for the field '{operator}' must be a valid JSONPath")
    elif operator.startswith("Is") or operator == "BooleanEquals":
        report.expect(operand, path, "BOOLEAN")
    elif operator.startswith("Numeric"):
        report.expect(operand, path, "NUMBER")
    elif operator.startswith("String"):
        report.expect(operand, path, "STRING")
    elif operator.startswith("Timestamp") and not is_timestamp(operand):
        report.error(path, f"The value for the field '{operator}' must be a valid timestamp")
