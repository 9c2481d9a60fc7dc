"""Reading request members the way AWS's front end checks them.

Constraint violations of the API model are answered as AWS answers them: ``ValidationException`` with
``1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: ...``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from orchestrator.errors import ApiError

SHOWN_VALUE_MAX = 4096


def validation_error(value: object, member: str, constraint: str) -> ApiError:
    text = str(value)
    shown = (
        "null"
        if value is None
        else f"'{text if len(text) <= SHOWN_VALUE_MAX else text[:SHOWN_VALUE_MAX] + '...'}'"
    )
    return ApiError(
        "ValidationException",
        f"1 validation error detected: Value {shown} at '{member}' failed to satisfy constraint: {constraint}",
    )


def required(request: dict[str, Any], member: str) -> Any:
    """A required member; AWS answers a missing one with ``Member must not be null``."""
    value = request.get(member)
    if value is None:
        raise validation_error(None, member, "Member must not be null")
    return value


def string(request: dict[str, Any], member: str, *, required_: bool = False) -> str | None:
    value = required(request, member) if required_ else request.get(member)
    if value is not None and not isinstance(value, str):
        raise ApiError("SerializationException", f"Expected a string for '{member}'")
    return value


def boolean(request: dict[str, Any], member: str, default: bool = False) -> bool:
    value = request.get(member)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ApiError("SerializationException", f"Expected a boolean for '{member}'")
    return value


def integer(request: dict[str, Any], member: str, *, minimum: int, maximum: int) -> int | None:
    value = request.get(member)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError("SerializationException", f"Expected an integer for '{member}'")
    if value > maximum:
        raise validation_error(value, member, f"Member must have value less than or equal to {maximum}")
    if value < minimum:
        raise validation_error(value, member, f"Member must have value greater than or equal to {minimum}")
    return value


def enum(
    request: dict[str, Any], member: str, allowed: Iterable[str], default: str | None = None
) -> str | None:
    value = request.get(member)
    if value is None:
        return default
    allowed = list(allowed)
    if value not in allowed:
        raise validation_error(value, member, f"Member must satisfy enum value set: [{', '.join(allowed)}]")
    return str(value)


def max_length(value: str | None, member: str, limit: int) -> str | None:
    if value is not None and len(value) > limit:
        raise validation_error(value, member, f"Member must have length less than or equal to {limit}")
    return value
