"""A state's input and output processing in JSONPath mode (ASL spec, "Input and Output Processing").

InputPath -> Parameters -> (the state's work) -> ResultSelector -> ResultPath -> OutputPath.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.dataflow.jsonpath import PathNotFound, apply_result_path, read_path
from orchestrator.dataflow.limits import payload_size
from orchestrator.dataflow.payload import evaluate_payload
from orchestrator.engine.errors import DATA_LIMIT_EXCEEDED, RUNTIME
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.engine.interpreter import Run
    from orchestrator.engine.model import Thread


def read_reference(path: str, value: Any, context: Any) -> Any:
    """Read a path that may address the context object (``$$...``); raises PathNotFound."""
    if path.startswith("$$"):
        return read_path(path[1:], context)
    return read_path(path, value)


def select(run: Run, thread: Thread, state: Any, path: str | None, value: Any) -> Any:
    """InputPath / OutputPath: ``null`` gives ``{}``; a path that resolves to nothing is States.Runtime."""
    if path is None:
        return {}
    if path == "$":
        return value
    try:
        return read_reference(path, value, run.context(thread, state))
    except PathNotFound as missing:
        raise StatesError(RUNTIME, f"Invalid path '{path}' : {missing.detail}") from None


def effective_input(run: Run, thread: Thread, state: Any) -> Any:
    """InputPath, then Parameters (with the context object)."""
    value = select(run, thread, state, state.input_path, thread.input)
    run.inspect("afterInputPath", value)
    parameters = getattr(state, "parameters", None)
    if parameters is not None:
        value = evaluate_payload(parameters, value, run.context(thread, state))
        run.inspect("afterParameters", value)
    return value


def state_output(run: Run, thread: Thread, state: Any, result: Any) -> Any:
    """ResultSelector, ResultPath (onto the state's raw input), then OutputPath."""
    run.inspect("result", result)
    selector = getattr(state, "result_selector", None)
    if selector is not None:
        result = evaluate_payload(selector, result, run.context(thread, state))
        run.inspect("afterResultSelector", result)
    output = apply_result_path(thread.input, getattr(state, "result_path", "$"), result)
    run.inspect("afterResultPath", output)
    return select(run, thread, state, state.output_path, output)


def check_size(run: Run, thread: Thread, value: Any, subject: str) -> None:
    """A task's result over the payload limit fails with States.DataLimitExceeded."""
    if payload_size(value) > run.interpreter.max_payload_bytes:
        raise StatesError(
            DATA_LIMIT_EXCEEDED,
            f"The state/task '{subject}' returned a result with a size exceeding "
            "the maximum number of bytes service limit.",
            prefixed=False,
        )
