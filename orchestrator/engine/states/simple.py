"""Pass, Succeed and Fail: states the interpreter decides at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.dataflow.jsonpath import PathNotFound
from orchestrator.engine.dataflow import effective_input, read_reference, select, state_output
from orchestrator.engine.errors import RUNTIME
from orchestrator.engine.states.base import StateHandler
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.asl.models import FailState, PassState, SucceedState
    from orchestrator.engine.interpreter import Run
    from orchestrator.engine.model import Thread


class PassHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: PassState) -> None:
        value = effective_input(run, thread, state)
        result = state.result if state.has("result") else value
        output = state_output(run, thread, state, result)
        run.complete_state(thread, state, output)


class SucceedHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: SucceedState) -> None:
        value = select(run, thread, state, state.input_path, thread.input)
        run.complete_state(thread, state, select(run, thread, state, state.output_path, value))


class FailHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: FailState) -> None:
        error = self._field(run, thread, state, state.error, state.error_path, "ErrorPath")
        cause = self._field(run, thread, state, state.cause, state.cause_path, "CausePath")
        run.fail_thread(thread, error, cause)

    @staticmethod
    def _field(run: Run, thread: Thread, state: FailState, literal: Any, path: str | None, name: str) -> Any:
        if path is None:
            return literal
        try:
            value = read_reference(path, thread.input, run.context(thread, state))
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
