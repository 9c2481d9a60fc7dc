"""The JSONata functions Step Functions adds: ``$partition``, ``$range``, ``$hash``, ``$random``, ``$uuid``,
``$parse`` (AWS docs, "JSONata functions provided by Step Functions").

"Functions that require integer values as parameters will automatically round down any non-integer
numbers provided." Argument types are checked by JSONata signatures, so a wrong type fails with JSONata's
own T0410; a well-typed but unusable value (a zero step, an unknown algorithm) raises
:class:`FunctionArgumentError`. ``$range`` answers a JSONata *sequence*, so a single value comes out
unwrapped, as recorded (``$range(1, 9, 9)`` is ``1``).
"""

from __future__ import annotations

import hashlib
import math
import random
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import jsonata
from jsonata.functions import Functions
from jsonata.jexception import JException
from jsonata.utils import Utils

from orchestrator.dataflow.intrinsics.hashing import ALGORITHMS
from orchestrator.dataflow.json_text import loads
from orchestrator.dataflow.jvm import JavaRandom

MAX_RANGE_ITEMS = 1_000_000
"""A bound on ``$range``'s size, so one call cannot exhaust memory (AWS documents none)."""


class FunctionArgumentError(Exception):
    """A Step Functions JSONata function got an argument of the right type but an unusable value."""


class _JavaRandomDouble(JavaRandom):
    """``java.util.Random.nextDouble``: a seeded ``$random(seed)`` gives the same number every time."""

    def next_double(self) -> float:
        return ((self._next(26) << 27) + self._next(27)) * 2.0**-53


def _floor(value: int | float) -> int:
    return value if isinstance(value, int) else math.floor(value)


def partition(items: list[Any], size: int | float) -> list[list[Any]]:
    """``$partition(array, size)``: chunks of ``size`` items, the last one possibly shorter."""
    chunk = _floor(size)
    if chunk <= 0:
        raise FunctionArgumentError(
            "The second argument of the partition function must be a positive integer"
        )
    return [list(items[start : start + chunk]) for start in range(0, len(items), chunk)]


def range_(start: int | float, end: int | float, step: int | float) -> list[int]:
    """``$range(start, end, step)``: ``start``, ``start + step``, ... until ``end`` is reached or passed."""
    first, last, increment = _floor(start), _floor(end), _floor(step)
    if increment == 0:
        raise FunctionArgumentError("The third argument of the range function must not be zero")
    count = max(0, (last - first) // increment + 1)
    if count > MAX_RANGE_ITEMS:
        raise FunctionArgumentError(
            f"The range function cannot produce more than {MAX_RANGE_ITEMS} values. Attempted to produce {count}"
        )
    return Utils.create_sequence_from_iter(first + increment * index for index in range(count))  # type: ignore[no-any-return]


def hash_(data: str, algorithm: str) -> str:
    """``$hash(data, algorithm)``: the lowercase hex digest of the data's UTF-8 bytes."""
    if algorithm not in ALGORITHMS:
        raise FunctionArgumentError(
            "The second argument of the hash function must be one of " + ", ".join(ALGORITHMS)
        )
    return hashlib.new(ALGORITHMS[algorithm], data.encode("utf-8", "surrogatepass")).hexdigest()


def random_(seed: int | float | None = None) -> float:
    """``$random([seed])``: a number in [0, 1); the same seed always gives the same number."""
    if seed is None:
        return random.random()
    return _JavaRandomDouble(_floor(seed)).next_double()


def uuid_() -> str:
    """``$uuid()``: a random (version 4) UUID."""
    return str(uuid.uuid4())


def parse(text: str | None) -> Any:
    """``$parse(json)``: the JSON value the text holds (``$eval`` is not available in Step Functions)."""
    if text is None:
        return None
    try:
        value = loads(text)
    except ValueError as error:
        raise FunctionArgumentError(
            f"The argument of the parse function must be a JSON text: {error}"
        ) from None
    return Utils.NULL_VALUE if value is None else value


def number(value: Any) -> Any:
    """The built-in ``$number``, failing like the reference implementation (D3030) where jsonata-python
    leaks a Python ``ValueError`` for a string that is not a number."""
    try:
        return Functions.number(value)
    except ValueError:
        raise JException("D3030", -1, value) from None


class _Native(jsonata.Jsonata.JFunctionCallable):  # type: ignore[misc]
    """Adapts a Python function to the library's callable protocol (arguments already signature-checked)."""

    def __init__(self, implementation: Callable[..., Any]) -> None:
        self.implementation = implementation

    def call(self, _input: Any, args: Sequence[Any] | None) -> Any:
        return self.implementation(*(args or ()))


def _function(implementation: Callable[..., Any], signature: str) -> Any:
    return jsonata.Jsonata.JFunction(_Native(implementation), signature)


STEP_FUNCTIONS_FUNCTIONS: dict[str, Any] = {
    "partition": _function(partition, "<an:a>"),
    "range": _function(range_, "<nnn:a<n>>"),
    "hash": _function(hash_, "<ss:s>"),
    "random": _function(random_, "<n?:n>"),
    "uuid": _function(uuid_, "<:s>"),
    "parse": _function(parse, "<s-:x>"),
    "number": _function(number, "<(nsb)-:n>"),
}
"""Bound into every compiled expression by name (``$partition`` ...); they replace the built-in ``$random``
(and ``$number``, with the reference implementation's error)."""
