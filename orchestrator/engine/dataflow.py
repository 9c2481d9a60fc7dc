"""A state's input and output processing, in either query language.

JSONPath (ASL spec, "Input and Output Processing"): InputPath -> Parameters -> (the state's work) ->
ResultSelector -> ResultPath -> OutputPath; ``Assign`` reads the state's result with ``$``.

JSONata: ``Arguments`` -> (the state's work) -> ``Output``; every ``{% %}`` expression reads the reserved
``$states`` (``input``, ``context``, ``result``, ``errorOutput``) and the workflow variables.

In both, ``Assign`` and ``Output`` see the variables as they were when the state was entered; the new values
are committed when the state exits (:meth:`Run.complete_state`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from orchestrator.asl.models import JSONATA
from orchestrator.dataflow import jsonata
from orchestrator.dataflow.jsonpath import PathNotFound, apply_result_path
from orchestrator.dataflow.limits import payload_size
from orchestrator.dataflow.payload import evaluate_payload
from orchestrator.dataflow.references import read_reference
from orchestrator.engine import variables as scopes
from orchestrator.engine.errors import DATA_LIMIT_EXCEEDED, RUNTIME
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.engine.model import Thread
    from orchestrator.engine.run import Run

_ABSENT: Any = object()


def is_jsonata(run: Run, state: Any) -> bool:
    """Whether ``state`` is evaluated with JSONata (its own QueryLanguage, else the machine's)."""
    language = state.query_language or run.interpreter.definition.query_language
    return language == JSONATA


def variables(run: Run, thread: Thread) -> Mapping[str, Any]:
    return scopes.visible(run.state, thread)


def bindings(run: Run, thread: Thread, state: Any, **states: Any) -> jsonata.Bindings:
    """What a JSONata expression of ``state`` can read: ``$states`` and the variables."""
    reserved = {"input": thread.input, "context": run.context(thread, state), **states}
    return jsonata.Bindings(states=reserved, variables=variables(run, thread), now=run.now)


def read(run: Run, thread: Thread, state: Any, path: str, value: Any) -> Any:
    """A JSONPath reference path on ``value``, the context object (``$$``) or a variable (``$name``)."""
    return read_reference(path, value, run.context(thread, state), variables=variables(run, thread))


def select(run: Run, thread: Thread, state: Any, path: str | None, value: Any) -> Any:
    """InputPath / OutputPath: ``null`` gives ``{}``; a path that resolves to nothing is States.Runtime."""
    if path is None:
        return {}
    if path == "$":
        return value
    try:
        return read(run, thread, state, path, value)
    except PathNotFound as missing:
        raise StatesError(RUNTIME, f"Invalid path '{path}' : {missing.detail}") from None


def payload(run: Run, thread: Thread, state: Any, template: Any, value: Any, context: Any = None) -> Any:
    """A JSONPath payload template (Parameters, ResultSelector, ...) evaluated on ``value``."""
    if context is None:
        context = run.context(thread, state)
    return evaluate_payload(template, value, context, variables=variables(run, thread))


def effective_input(run: Run, thread: Thread, state: Any) -> Any:
    """What the state works on: InputPath then Parameters, or JSONata ``Arguments``."""
    if is_jsonata(run, state):
        arguments = getattr(state, "arguments", None)
        if arguments is None:
            return thread.input
        value = jsonata.evaluate_template(arguments, bindings(run, thread, state), "Arguments")
        if state.type == "Task":
            run.inspect("afterArguments", value)
        return value
    value = select(run, thread, state, state.input_path, thread.input)
    run.inspect("afterInputPath", value)
    parameters = getattr(state, "parameters", None)
    if parameters is not None:
        value = payload(run, thread, state, parameters, value)
        run.inspect("afterParameters", value)
    return value


def task_credentials(run: Run, thread: Thread, state: Any) -> dict[str, Any] | None:
    """A Task's ``Credentials`` evaluated on its input (a ``.$`` template, or JSONata), else None."""
    credentials = getattr(state, "credentials", None)
    if not isinstance(credentials, dict):
        return None
    if is_jsonata(run, state):
        value = jsonata.evaluate_template(credentials, bindings(run, thread, state), "Credentials")
    else:
        value = payload(run, thread, state, credentials, thread.input)
    return value if isinstance(value, dict) else None


def field_value(run: Run, thread: Thread, state: Any, value: Any, field: str, expected: str) -> Any:
    """A JSONata state's field that may hold an expression (``TimeoutSeconds``, ``Items``, ...)."""
    if jsonata.is_expression(value):
        return jsonata.evaluate_expression(value, bindings(run, thread, state), field, expected=expected)
    return value


def finish_state(
    run: Run,
    thread: Thread,
    state: Any,
    result: Any = _ABSENT,
    *,
    fields: Any = None,
    next_state: str | None = None,
) -> None:
    """The state's work is done: evaluate ``Assign`` and the output, then exit the state.

    ``result`` is the result of a Task, Parallel, Map or Pass state; states without one (Wait, Succeed,
    Choice) pass their input through. ``fields`` holds the ``Assign``/``Output`` to use when not the state's
    own (a matching Choice rule's); ``next_state`` overrides the state's ``Next`` (Choice).
    """
    fields = state if fields is None else fields
    if is_jsonata(run, state):
        extra = {}
        if result is not _ABSENT:
            extra["result"] = result
            run.inspect("result", result)
        env = bindings(run, thread, state, **extra)
        assigned = _assign_jsonata(fields.assign, env)
        if fields.has("output"):
            output = jsonata.evaluate_template(fields.output, env, "Output")
        else:
            output = thread.input if result is _ABSENT else result
    elif result is _ABSENT:
        value = select(run, thread, state, state.input_path, thread.input)
        assigned = _assign_jsonpath(run, thread, state, fields.assign, value)
        output = select(run, thread, state, state.output_path, value)
    else:
        assigned = _assign_jsonpath(run, thread, state, fields.assign, result)
        output = state_output(run, thread, state, result)
    run.complete_state(thread, state, output, assigned, next_state=next_state)


def caught_output(
    run: Run, thread: Thread, state: Any, catcher: Any, error_output: dict[str, Any]
) -> tuple[Any, dict[str, Any] | None]:
    """A Catcher's output and assignments for the error output ``{"Error", "Cause"}``."""
    if is_jsonata(run, state):
        env = bindings(run, thread, state, errorOutput=error_output)
        assigned = _assign_jsonata(catcher.assign, env)
        if catcher.has("output"):
            return jsonata.evaluate_template(catcher.output, env, "Output"), assigned
        return error_output, assigned
    assigned = _assign_jsonpath(run, thread, state, catcher.assign, error_output)
    return apply_result_path(thread.input, catcher.result_path, error_output), assigned


def state_output(run: Run, thread: Thread, state: Any, result: Any) -> Any:
    """JSONPath: ResultSelector, ResultPath (onto the state's raw input), then OutputPath."""
    run.inspect("result", result)
    selector = getattr(state, "result_selector", None)
    if selector is not None:
        result = payload(run, thread, state, selector, result)
        run.inspect("afterResultSelector", result)
    output = apply_result_path(thread.input, getattr(state, "result_path", "$"), result)
    run.inspect("afterResultPath", output)
    return select(run, thread, state, state.output_path, output)


def _assign_jsonata(assign: Any, env: jsonata.Bindings) -> dict[str, Any] | None:
    if assign is None:
        return None
    values = jsonata.evaluate_template(assign, env, "Assign")
    return values if isinstance(values, dict) else None


def _assign_jsonpath(run: Run, thread: Thread, state: Any, assign: Any, value: Any) -> dict[str, Any] | None:
    if assign is None:
        return None
    values = payload(run, thread, state, assign, value)
    return values if isinstance(values, dict) else None


def check_size(run: Run, thread: Thread, value: Any, subject: str) -> None:
    """A task's result over the payload limit fails with States.DataLimitExceeded."""
    if payload_size(value) > run.interpreter.max_payload_bytes:
        raise StatesError(
            DATA_LIMIT_EXCEEDED,
            f"The state/task '{subject}' returned a result with a size exceeding "
            "the maximum number of bytes service limit.",
            prefixed=False,
        )
