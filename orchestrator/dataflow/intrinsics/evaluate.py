"""Evaluation of an intrinsic call tree against the state input, the context object and variables.

Arguments are evaluated first (innermost calls first); a path argument that resolves to nothing fails the
whole expression, and so does an argument a function cannot use (wrong count or type, out of range). Both
are ``States.Runtime`` failures naming the whole expression as written (see ``failures``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from orchestrator.dataflow.intrinsics import arrays, encoding, hashing, json_, math, strings, uuid_
from orchestrator.dataflow.intrinsics.failures import InvalidArguments, argument_not_found, invalid_arguments
from orchestrator.dataflow.intrinsics.parser import (
    Argument,
    IntrinsicCall,
    PathArgument,
    StringLiteral,
    ValueLiteral,
    parse,
)
from orchestrator.dataflow.json_text import dumps
from orchestrator.dataflow.jsonpath import PathNotFound

Function = Callable[..., Any]

FUNCTIONS: dict[str, tuple[Function, int, int | None]] = {
    "States.Format": (strings.format_, 1, None),
    "States.StringToJson": (json_.string_to_json, 1, 1),
    "States.JsonToString": (json_.json_to_string, 1, 1),
    "States.Array": (arrays.array, 0, None),
    "States.ArrayPartition": (arrays.array_partition, 2, 2),
    "States.ArrayContains": (arrays.array_contains, 2, 2),
    "States.ArrayRange": (arrays.array_range, 3, 3),
    "States.ArrayGetItem": (arrays.array_get_item, 2, 2),
    "States.ArrayLength": (arrays.array_length, 1, 1),
    "States.ArrayUnique": (arrays.array_unique, 1, 1),
    "States.Base64Encode": (encoding.base64_encode, 1, 1),
    "States.Base64Decode": (encoding.base64_decode, 1, 1),
    "States.Hash": (hashing.hash_, 2, 2),
    "States.JsonMerge": (json_.json_merge, 3, 3),
    "States.MathRandom": (math.math_random, 2, 3),
    "States.MathAdd": (math.math_add, 2, 2),
    "States.StringSplit": (strings.string_split, 2, 2),
    "States.UUID": (uuid_.uuid_, 0, 0),
}
"""Each function with its minimum and maximum (``None``: any) number of arguments."""


def evaluate(text: str, state_input: Any, context: Any, *, variables: Mapping[str, Any] | None = None) -> Any:
    """Evaluate the intrinsic call ``text``.

    Raises ``IntrinsicSyntaxError`` when ``text`` is not a call and ``StatesError("States.Runtime", ...)``
    when the call fails.
    """
    return _Evaluation(text, state_input, context, variables).call(parse(text))


class _Evaluation:
    __slots__ = ("context", "expression", "state_input", "variables")

    def __init__(
        self, expression: str, state_input: Any, context: Any, variables: Mapping[str, Any] | None
    ) -> None:
        self.expression = expression
        self.state_input = state_input
        self.context = context
        self.variables = variables

    def call(self, call: IntrinsicCall) -> Any:
        function, minimum, maximum = FUNCTIONS[call.name]
        args = [self.argument(argument) for argument in call.args]
        if len(args) < minimum or (maximum is not None and len(args) > maximum):
            raise invalid_arguments(self.expression, call.name)
        keywords: dict[str, Any] = {}
        if call.name == "States.Format" and isinstance(call.args[0], StringLiteral):
            keywords["raw_template"] = call.args[0].raw
        try:
            return function(*args, **keywords)
        except InvalidArguments:
            raise invalid_arguments(self.expression, call.name) from None

    def argument(self, argument: Argument) -> Any:
        if isinstance(argument, StringLiteral | ValueLiteral):
            return argument.value
        if isinstance(argument, IntrinsicCall):
            return self.call(argument)
        return self.path(argument)

    def path(self, argument: PathArgument) -> Any:
        if argument.source == "input":
            data, field = self.state_input, argument.text
        elif argument.source == "context":
            data, field = self.context, argument.text[1:]
        else:
            variables = self.variables or {}
            name = argument.variable or ""
            if name not in variables:
                raise argument_not_found(self.expression, argument.text, dumps(self.state_input))
            data, field = variables[name], argument.text
        try:
            return argument.path.read(data, strict=True)
        except PathNotFound:
            raise argument_not_found(self.expression, field, dumps(self.state_input)) from None
