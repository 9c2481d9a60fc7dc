"""How an intrinsic function fails: AWS reports ``States.Runtime`` naming the whole expression.

Captured from AWS: ``The function 'States.Format('{}', $.nope)' had the following error: The JsonPath
argument for the field '$.nope' could not be found in the input '{"other":1}'``; arguments a function
cannot use fail with ``Invalid arguments in States.MathAdd`` (same sentence shape).
"""

from __future__ import annotations

from orchestrator.errors import StatesError


class InvalidArguments(Exception):
    """Raised by a function when its (evaluated) arguments are not ones it accepts."""


def invalid_arguments(expression: str, function: str) -> StatesError:
    """The States.Runtime error for a call whose arguments ``function`` rejects."""
    return StatesError(
        "States.Runtime",
        f"The function '{expression}' had the following error: Invalid arguments in {function}",
    )


def argument_not_found(expression: str, field: str, input_text: str) -> StatesError:
    """The States.Runtime error for a path argument that resolves to nothing."""
    return StatesError(
        "States.Runtime",
        f"The function '{expression}' had the following error: The JsonPath argument for the field "
        f"'{field}' could not be found in the input '{input_text}'",
    )
