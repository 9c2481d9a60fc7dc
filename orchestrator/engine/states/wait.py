"""Wait: a timer, then the state's (InputPath/OutputPath-filtered) input goes on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.dataflow.jsonpath import PathNotFound
from orchestrator.engine.dataflow import field_value, finish_state, is_jsonata, read, select
from orchestrator.engine.errors import RUNTIME
from orchestrator.engine.states.base import StateHandler
from orchestrator.engine.timefmt import parse_timestamp
from orchestrator.errors import QueryEvaluationError, StatesError

if TYPE_CHECKING:
    from orchestrator.asl.models import WaitState
    from orchestrator.engine.model import Thread
    from orchestrator.engine.run import Run

# Observed: a delay of 24,856 days fails, 24,855 days is accepted (a Java int of seconds).
MAX_DELAY_SECONDS = 2**31 - 1


class WaitHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: WaitState) -> None:
        value = select(run, thread, state, state.input_path, thread.input)
        due = self._due(run, thread, state, value)
        if due - run.now > MAX_DELAY_SECONDS:
            raise StatesError(RUNTIME, "Wait state delay is too long.")
        if due <= run.now:
            self._resume(run, thread, state)
        else:
            run.start_timer(thread, "wait", due)

    def on_timer(self, run: Run, thread: Thread, state: WaitState, purpose: str) -> None:
        run.guarded(thread, state, lambda: self._resume(run, thread, state))

    def _resume(self, run: Run, thread: Thread, state: WaitState) -> None:
        finish_state(run, thread, state)

    def _due(self, run: Run, thread: Thread, state: WaitState, value: Any) -> float:
        jsonata = is_jsonata(run, state)
        if state.seconds is not None:
            seconds = field_value(run, thread, state, state.seconds, "Seconds", "integer")
            return run.now + float(seconds)
        if state.timestamp is not None:
            stamp = field_value(run, thread, state, state.timestamp, "Timestamp", "string")
            parsed = parse_timestamp(str(stamp))
            if parsed is None:
                if jsonata:
                    raise QueryEvaluationError(
                        "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time "
                        f"format string: {stamp}",
                        "Timestamp",
                        after_entered=True,
                    )
                raise StatesError(RUNTIME, f"The Timestamp field is not a valid timestamp: {stamp}")
            return parsed
        if state.seconds_path is not None:
            try:
                seconds = read(run, thread, state, state.seconds_path, value)
            except PathNotFound:
                seconds = None
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
                raise StatesError(
                    RUNTIME,
                    f"The SecondsPath parameter does not reference an input value: {state.seconds_path}",
                )
            return run.now + float(seconds)
        assert state.timestamp_path is not None, "validated Wait states have one of the four fields"
        try:
            stamp = read(run, thread, state, state.timestamp_path, value)
        except PathNotFound:
            stamp = None
        parsed = parse_timestamp(stamp) if isinstance(stamp, str) else None
        if parsed is None:
            raise StatesError(
                RUNTIME,
                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
                f"format string: {state.timestamp_path} == {stamp}",
            )
        return parsed
