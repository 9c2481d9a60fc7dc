"""Pass, Succeed and Fail: states the interpreter decides at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.dataflow.jsonpath import PathNotFound
from orchestrator.engine.dataflow import effective_input, field_value, finish_state, is_jsonata, read
from orchestrator.engine.errors import RUNTIME
from orchestrator.engine.states.base import StateHandler
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.asl.models import FailState, PassState, SucceedState
    from orchestrator.engine.model import Thread
    from orchestrator.engine.run import Run


class PassHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: PassState) -> None:
        if is_jsonata(run, state):
            finish_state(run, thread, state, thread.input)
            return
        value = effective_input(run, thread, state)
        finish_state(run, thread, state, state.result if state.has("result") else value)


class SucceedHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: SucceedState) -> None:
        finish_state(run, thread, state)


class FailHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: FailState) -> None:
        if is_jsonata(run, state):
            error = field_value(run, thread, state, state.error, "Error", "string")
            cause = field_value(run, thread, state, state.cause, "Cause", "string")
            run.fail_thread(thread, error, cause)
            return
        error = self._field(run, thread, state, state.error, state.error_path, "ErrorPath")
        cause = self._field(run, thread, state, state.cause, state.cause_path, "CausePath")
        run.fail_thread(thread, error, cause)

    @staticmethod
    def _field(run: Run, thread: Thread, state: FailState, literal: Any, path: str | None, name: str) -> Any:
        if path is None:
            return literal
        try:
            value = read(run, thread, state, path, thread.input)
        except PathNotFound:
            raise StatesError(
                RUNTIME,
                f"The JSONPath '{path}' specified for the field '{name}' could not be found in the input "
                f"'{_compact(thread.input)}'",
            ) from None
        if not isinstance(value, str):
            raise StatesError(RUNTIME, f"The {name} field must resolve to a string: {path}")
        return value


def _compact(value: Any) -> str:
    from orchestrator.dataflow.json_text import dumps

    return dumps(value)
