"""Transitions of one program (the machine, a Parallel branch, a Map processor): targets that exist,
states reachable from ``StartAt``, and a terminal state.

AWS reports a dangling target and an unreachable state with the same code, e.g.
``MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next`` followed by
``MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2``; a ``StartAt`` naming no
state is ``Missing 'Next' target: X at /StartAt``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from orchestrator.asl.validation.report import Report, at

MISSING_TARGET = "MISSING_TRANSITION_TARGET"
MISSING_END = "MISSING_END_STATE"
_CATCHING = ("Task", "Parallel", "Map")


def transitions(state: dict[str, Any], path: str) -> Iterator[tuple[str, str]]:
    """Every ``(target, location)`` a state can move to: ``Next``, ``Choices[i].Next``, ``Default``,
    ``Catch[i].Next`` -- only the fields its type has (the others are reported as unsupported)."""
    state_type = state.get("Type")
    if state_type not in ("Choice", "Succeed", "Fail") and isinstance(state.get("Next"), str):
        yield state["Next"], at(path, "Next")
    field = "Choices" if state_type == "Choice" else "Catch" if state_type in _CATCHING else None
    rules = state.get(field) if field else None
    if field and isinstance(rules, list):
        for index, rule in enumerate(rules):
            if isinstance(rule, dict) and isinstance(rule.get("Next"), str):
                yield rule["Next"], at(at(path, field), index) + "/Next"
    if state_type == "Choice" and isinstance(state.get("Default"), str):
        yield state["Default"], at(path, "Default")


def is_terminal(state: Any) -> bool:
    if not isinstance(state, dict):
        return False
    state_type = state.get("Type")
    return state_type in ("Succeed", "Fail") or (state.get("End") is True and state_type != "Choice")


def check_graph(report: Report, program: dict[str, Any], path: str, *, top_level: bool) -> None:
    """Dangling targets, then unreachable states, of one program whose ``StartAt`` and ``States`` are sound.

    A machine without any terminal state is ``MISSING_END_STATE`` (checked at the top level only), and then
    its unreachable states are not listed.
    """
    start_at, states = program["StartAt"], program["States"]
    states_path = at(path, "States")
    if start_at not in states:
        report.error(at(path, "StartAt"), f"Missing 'Next' target: {start_at}", MISSING_TARGET)
    for name, state in states.items():
        if isinstance(state, dict):
            for target, location in transitions(state, at(states_path, name)):
                if target not in states:
                    report.error(location, f"Missing 'Next' target: {target}", MISSING_TARGET)
    if top_level and not any(is_terminal(state) for state in states.values()):
        report.error(path, "Workflow has no terminal state", MISSING_END)
        return
    reachable = _reachable(start_at, states)
    for name in states:
        if name not in reachable:
            report.error(at(states_path, name), f'State "{name}" is not reachable.', MISSING_TARGET)


def _reachable(start_at: str, states: dict[str, Any]) -> set[str]:
    seen: set[str] = set()
    pending = [start_at] if start_at in states else []
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        state = states[name]
        if isinstance(state, dict):
            pending += [
                target for target, _ in transitions(state, "") if target in states and target not in seen
            ]
    return seen
