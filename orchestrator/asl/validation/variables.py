"""Workflow variables at definition time: the names an ``Assign`` may set, and where a JSONata state may read
the reserved ``$states.result`` and ``$states.errorOutput``.

AWS's documentation ("Passing data between states with variables", "Transforming data with JSONata"):
a variable name is an identifier (a letter or ``_``, then letters, digits or ``_``) of at most 80
characters; ``states`` is reserved; ``$states.result`` is the result of a Task, Map or Parallel state and can
be read in that state's own ``Output`` and ``Assign``; ``$states.errorOutput`` exists only in a Catcher's
``Output`` and ``Assign``. Same-named variables in a Parallel branch or Map iteration and its parent scope
are allowed (AWS ran ``test_parallel_catch_error_variable_sampling`` with them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from orchestrator.asl.validation.jsonata_exprs import NOT_EVALUATED
from orchestrator.asl.validation.paths import is_jsonata
from orchestrator.asl.validation.report import JSONPATH, Report, at

MAX_VARIABLE_NAME_LENGTH = 80
RESERVED_VARIABLE = "states"
RESULT_STATES = ("Task", "Map", "Parallel")

_STRING_LITERAL = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'", re.DOTALL)
_STATES_FIELD = re.compile(r"\$states\s*\.\s*(result|errorOutput)(?![\w$])")


def variable_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be assigned, or None when it can."""
    if name == RESERVED_VARIABLE:
        return f"The variable name '{name}' is reserved and cannot be assigned"
    if not name.isidentifier():
        return (
            f"The variable name '{name}' is not valid: it must start with a letter or '_' and contain only "
            "letters, digits and '_'"
        )
    if len(name) > MAX_VARIABLE_NAME_LENGTH:
        return (
            f"The variable name '{name}' exceeds the maximum length of {MAX_VARIABLE_NAME_LENGTH} characters"
        )
    return None


def check_assign(report: Report, assign: Any, path: str, language: str) -> None:
    """An ``Assign`` (of a state, a Choice rule or a Catcher): an object whose keys are assignable variable
    names (``name.$`` in JSONPath states names ``name``); each problem is located at the ``Assign`` object."""
    if not report.expect(assign, path, "OBJECT"):
        return
    for key in assign:
        name = key[:-2] if language == JSONPATH and key.endswith(".$") else key
        problem = variable_name_problem(name)
        if problem is not None:
            report.error(path, problem)


def check_states_references(report: Report, state: dict[str, Any], path: str) -> None:
    """Every ``{% %}`` expression of a JSONata state that reads ``$states.result`` or ``$states.errorOutput``
    where the interpreter does not provide it."""
    result_fields = ("Output", "Assign") if state.get("Type") in RESULT_STATES else ()
    for field, value in state.items():
        if field in NOT_EVALUATED:
            continue
        if field == "Catch" and isinstance(value, list):
            for index, catcher in enumerate(value):
                _check_catcher(report, catcher, at(at(path, field), index))
        elif field == "Choices" and isinstance(value, list):
            for index, rule in enumerate(value):
                _check_choice_rule(report, rule, at(at(path, field), index))
        else:
            available = {"result"} if field in result_fields else set()
            _check_value(report, value, at(path, field), field, available)


def _check_catcher(report: Report, catcher: Any, path: str) -> None:
    if not isinstance(catcher, dict):
        return
    for field, value in catcher.items():
        if field not in NOT_EVALUATED:
            available = {"errorOutput"} if field in ("Output", "Assign") else set()
            _check_value(report, value, at(path, field), field, available)


def _check_choice_rule(report: Report, rule: Any, path: str) -> None:
    if not isinstance(rule, dict):
        return
    for field, value in rule.items():
        if field not in NOT_EVALUATED:
            _check_value(report, value, at(path, field), field, set())


def _check_value(report: Report, value: Any, path: str, field: str, available: set[str]) -> None:
    for location, expression in _expressions(value, path):
        for name in sorted(set(referenced_states_fields(expression)) - available):
            report.error(
                location,
                f"The JSONata expression '{expression.strip()}' references '$states.{name}', which is not "
                f"available in the field '{field}'",
            )


def _expressions(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """``(location, expression)`` of every ``{% %}`` string inside ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _expressions(item, at(path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _expressions(item, at(path, index))
    elif is_jsonata(value):
        yield path, value[2:-2]


def referenced_states_fields(expression: str) -> list[str]:
    """The ``$states`` fields among ``result`` / ``errorOutput`` that ``expression`` reads, in order (string
    literals do not count)."""
    code = _STRING_LITERAL.sub('""', expression)
    return [match.group(1) for match in _STATES_FIELD.finditer(code)]
