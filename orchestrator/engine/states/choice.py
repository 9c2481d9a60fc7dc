"""Choice: the first rule that holds names the next state; else ``Default``; else States.NoChoiceMatched.

A JSONPath rule compares ``Variable`` with an operator; a JSONata rule's ``Condition`` is an expression
(or a literal boolean). The matching rule's ``Assign``/``Output`` apply; when ``Default`` is taken, the
state's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.dataflow import jsonata
from orchestrator.engine.choice_rules import evaluate_rule
from orchestrator.engine.dataflow import bindings, finish_state, is_jsonata, select, variables
from orchestrator.engine.errors import NO_CHOICE_MATCHED
from orchestrator.engine.states.base import StateHandler
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.asl.models import ChoiceRule, ChoiceState
    from orchestrator.engine.model import Thread
    from orchestrator.engine.run import Run


class ChoiceHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: ChoiceState) -> None:
        rule = self._matching_rule(run, thread, state)
        next_state = rule.next if rule is not None else state.default
        if next_state is None:
            raise StatesError(
                NO_CHOICE_MATCHED,
                f"No Matches! state '{thread.state_name}' (entered at the event id #{thread.entered_event})"
                " failed to match a choice.",
                prefixed=False,
            )
        finish_state(run, thread, state, fields=rule, next_state=next_state)

    def _matching_rule(self, run: Run, thread: Thread, state: ChoiceState) -> ChoiceRule | None:
        if is_jsonata(run, state):
            env = bindings(run, thread, state)
            for rule in state.choices:
                if _condition(rule.condition, env):
                    return rule
            return None
        value = select(run, thread, state, state.input_path, thread.input)
        context = run.context(thread, state)
        visible = variables(run, thread)
        return next((rule for rule in state.choices if evaluate_rule(rule, value, context, visible)), None)


def _condition(condition: Any, env: jsonata.Bindings) -> bool:
    if jsonata.is_expression(condition):
        return bool(jsonata.evaluate_expression(condition, env, "Condition", expected="boolean"))
    return bool(condition)
