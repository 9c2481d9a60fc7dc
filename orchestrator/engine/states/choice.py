"""Choice: the first rule that holds names the next state; else ``Default``; else States.NoChoiceMatched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from orchestrator.engine.choice_rules import evaluate_rule
from orchestrator.engine.dataflow import select
from orchestrator.engine.errors import NO_CHOICE_MATCHED
from orchestrator.engine.states.base import StateHandler
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.asl.models import ChoiceState
    from orchestrator.engine.interpreter import Run
    from orchestrator.engine.model import Thread


class ChoiceHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: ChoiceState) -> None:
        value = select(run, thread, state, state.input_path, thread.input)
        context = run.context(thread, state)
        next_state = next((rule.next for rule in state.choices if evaluate_rule(rule, value, context)), None)
        if next_state is None:
            next_state = state.default
        if next_state is None:
            raise StatesError(
                NO_CHOICE_MATCHED,
                f"No Matches! state '{thread.state_name}' (entered at the event id #{thread.entered_event})"
                " failed to match a choice.",
                prefixed=False,
            )
        output = select(run, thread, state, state.output_path, value)
        run.writer.add(thread.hctx, "ChoiceStateExited", run.now, {"name": thread.state_name, **_out(output)})
        run.goto(thread, next_state, output)


def _out(value: object) -> dict[str, object]:
    from orchestrator.engine.history import data_details

    return data_details("output", value)
