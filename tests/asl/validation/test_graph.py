"""Transitions: dangling targets, unreachable states, a terminal state; nested programs have their own."""

from __future__ import annotations

from orchestrator.asl.validate import validate_definition
from tests.asl.validation.builders import machine, messages, pass_state


def test_a_missing_next_target_and_the_state_it_strands_are_both_reported() -> None:
    definition = machine(("pass1", {"Type": "Pass", "Next": "pass3"}), ("pass2", pass_state()))

    assert messages(definition) == [
        "MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next",
        'MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2',
    ]


def test_a_start_at_naming_no_state_strands_every_state() -> None:
    definition = {"StartAt": "aws_own.run_step", "States": {"run_step": pass_state()}}

    assert messages(definition) == [
        "MISSING_TRANSITION_TARGET: Missing 'Next' target: aws_own.run_step at /StartAt",
        'MISSING_TRANSITION_TARGET: State "run_step" is not reachable. at /States/run_step',
    ]


def test_choice_default_and_catch_targets_are_transitions() -> None:
    choice = {
        "Type": "Choice",
        "Choices": [{"Variable": "$.x", "IsNull": True, "Next": "Gone"}],
        "Default": "Nope",
    }
    task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}
    task["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "Missing"}]
    definition = machine(("C", choice), ("T", task))

    assert messages(definition) == [
        "MISSING_TRANSITION_TARGET: Missing 'Next' target: Gone at /States/C/Choices[0]/Next",
        "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /States/C/Default",
        "MISSING_TRANSITION_TARGET: Missing 'Next' target: Missing at /States/T/Catch[0]/Next",
        'MISSING_TRANSITION_TARGET: State "T" is not reachable. at /States/T',
    ]


def test_states_reached_only_through_catch_or_choice_are_reachable() -> None:
    task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C"}
    task["Catch"] = [{"ErrorEquals": ["States.ALL"], "Next": "Handler"}]
    choice = {"Type": "Choice", "Choices": [{"Condition": True, "Next": "Done"}], "Default": "Done"}
    definition = machine(
        ("T", task), ("C", choice), ("Handler", {"Type": "Fail"}), ("Done", {"Type": "Succeed"})
    )
    definition["QueryLanguage"] = "JSONata"

    assert validate_definition(definition) == []


def test_a_machine_without_terminal_state_is_missing_an_end_state() -> None:
    definition = machine(("A", {"Type": "Pass", "Next": "B"}), ("B", {"Type": "Pass", "Next": "A"}))

    assert messages(definition) == ["MISSING_END_STATE: Workflow has no terminal state at /"]


def test_nested_programs_are_checked_in_their_own_scope() -> None:
    branch = {"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Outer"}, "Y": pass_state()}}
    definition = machine(
        ("P", {"Type": "Parallel", "Branches": [branch], "Next": "Outer"}), ("Outer", pass_state())
    )

    assert messages(definition) == [
        "MISSING_TRANSITION_TARGET: Missing 'Next' target: Outer at /States/P/Branches[0]/States/X/Next",
        'MISSING_TRANSITION_TARGET: State "Y" is not reachable. at /States/P/Branches[0]/States/Y',
    ]
