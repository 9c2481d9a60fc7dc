"""JSONata expressions (``{% ... %}``) of JSONata states must parse.

Every string of a JSONata state's evaluated fields (``Arguments``, ``Output``, ``Assign``, ``Items``,
``Condition``, ``TimeoutSeconds``, ...) that is wrapped in ``{% %}`` is parsed with the JSONata parser;
fields AWS never evaluates (``Comment``, ``Next``, ``Resource``, ``Retry``...) and nested programs are
skipped.
"""

from __future__ import annotations

import functools
from typing import Any

import jsonata

from orchestrator.asl.validation.paths import is_jsonata
from orchestrator.asl.validation.report import Report, at

NOT_EVALUATED = frozenset(
    {
        "Type",
        "Comment",
        "QueryLanguage",
        "Next",
        "End",
        "Default",
        "Resource",
        "Retry",
        "Label",
        "Branches",
        "ItemProcessor",
        "Iterator",
        "ErrorEquals",
    }
)


def check_expressions(report: Report, state: dict[str, Any], path: str) -> None:
    """Report every ``{% %}`` string of a JSONata state that is not a JSONata expression."""
    for field, value in state.items():
        if field not in NOT_EVALUATED:
            _check_value(report, value, at(path, field), field)


def _check_value(report: Report, value: Any, path: str, field: str) -> None:
    if isinstance(value, dict):
        rules = field in ("Choices", "Catch")  # a rule's Next/ErrorEquals are not evaluated; payload keys are
        for key, item in value.items():
            if not (rules and key in NOT_EVALUATED):
                _check_value(report, item, at(path, key), field)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_value(report, item, at(path, index), field)
    elif is_jsonata(value):
        expression = value[2:-2]
        problem = syntax_error(expression)
        if problem is not None:
            report.error(path, f"The JSONata expression '{expression.strip()}' is not valid: {problem}")


@functools.lru_cache(maxsize=4096)
def syntax_error(expression: str) -> str | None:
    """The parser's complaint about ``expression``, or None if it parses."""
    try:
        jsonata.Jsonata(expression)
    except Exception as error:  # the parser raises its own JException for any syntax problem
        return str(error)
    return None
