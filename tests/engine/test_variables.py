"""Workflow variables (``Assign``) in both query languages: ordering, scoping, limits and history."""

from __future__ import annotations

import json
from typing import Any

from orchestrator.engine.variables import MAX_VARIABLE_BYTES
from tests.engine.driver import LAMBDA, machine, run


def passing(**fields: Any) -> dict[str, Any]:
    return {"Type": "Pass", **fields}


def assigned(driver: Any, name: str) -> dict[str, Any]:
    """The ``assignedVariables`` (parsed) of state ``name``'s Exited event."""
    for event in driver.history:
        details = event.get("stateExitedEventDetails")
        if details is not None and details["name"] == name:
            return {key: json.loads(text) for key, text in details.get("assignedVariables", {}).items()}
    raise AssertionError(f"state {name} never exited")


# ---- JSONPath ------------------------------------------------------------------------------------


def test_jsonpath_assign_reads_the_state_result_and_later_states_read_the_variable() -> None:
    driver = run(
        machine(
            ("Init", passing(Result={"x": 41}, Assign={"x.$": "$.x", "constant": "c"}, Next="Use")),
            ("Use", passing(Parameters={"got.$": "$x", "c.$": "$constant"}, End=True)),
        )
    )
    assert driver.status == "SUCCEEDED"
    assert driver.output == {"got": 41, "c": "c"}
    assert assigned(driver, "Init") == {"x": 41, "constant": "c"}


def test_jsonpath_task_assign_sees_the_raw_result_before_result_selector() -> None:
    definition = machine(
        (
            "Work",
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "ResultSelector": {"picked.$": "$.a"},
                "Assign": {"raw.$": "$"},
                "Next": "Use",
            },
        ),
        ("Use", passing(Parameters={"raw.$": "$raw"}, End=True)),
    )
    driver = run(definition, {}, lambda task: {"a": 1, "b": 2})
    assert driver.output == {"raw": {"a": 1, "b": 2}}


def test_assign_and_output_see_the_values_from_when_the_state_was_entered() -> None:
    driver = run(
        machine(
            ("First", passing(Assign={"n": 1}, Next="Second")),
            (
                "Second",
                passing(Assign={"n": 2, "previous.$": "$n"}, Parameters={"seen.$": "$n"}, Next="Third"),
            ),
            ("Third", passing(Parameters={"n.$": "$n", "previous.$": "$previous"}, End=True)),
        )
    )
    assert driver.exited_output("Second") == {"seen": 1}
    assert driver.output == {"n": 2, "previous": 1}


def test_a_missing_variable_fails_the_state_like_a_missing_path() -> None:
    driver = run(machine(("Use", passing(Parameters={"v.$": "$nothing"}, End=True))))
    assert driver.status == "FAILED"
    error, cause = driver.error_and_cause
    assert error == "States.Runtime"
    assert "The JSONPath '$nothing' specified for the field 'v.$' could not be found" in (cause or "")


def test_choice_rules_compare_variables_and_the_matching_rule_assigns() -> None:
    definition = machine(
        ("Init", passing(Assign={"limit": 10}, Next="Decide")),
        (
            "Decide",
            {
                "Type": "Choice",
                "Choices": [
                    {
                        "Variable": "$limit",
                        "NumericGreaterThan": 5,
                        "Assign": {"branch": "big"},
                        "Next": "Done",
                    }
                ],
                "Default": "Done",
                "Assign": {"branch": "default"},
            },
        ),
        ("Done", passing(Parameters={"branch.$": "$branch"}, End=True)),
    )
    assert run(definition).output == {"branch": "big"}


def test_the_default_branch_takes_the_choice_states_own_assign() -> None:
    definition = machine(
        (
            "Decide",
            {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.go", "BooleanEquals": True, "Assign": {"b": "rule"}, "Next": "Done"}
                ],
                "Default": "Done",
                "Assign": {"b": "default"},
            },
        ),
        ("Done", passing(Parameters={"b.$": "$b"}, End=True)),
    )
    assert run(definition, {"go": False}).output == {"b": "default"}


def test_catch_assign_reads_the_error_output() -> None:
    definition = machine(
        (
            "Work",
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"why.$": "$.Error"}, "Next": "Handle"}],
                "End": True,
            },
        ),
        ("Handle", passing(Parameters={"why.$": "$why"}, End=True)),
    )

    def fail(task: Any) -> Any:
        from tests.engine.driver import Failure

        raise Failure("Boom", "it broke")

    driver = run(definition, {}, fail)
    assert driver.output == {"why": "Boom"}
    assert assigned(driver, "Work") == {"why": "Boom"}


# ---- scopes --------------------------------------------------------------------------------------


def test_map_iterations_read_outer_variables_and_their_assignments_stay_inside() -> None:
    definition = machine(
        ("Init", passing(Assign={"factor": 3, "name": "outer"}, Next="Each")),
        (
            "Each",
            {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "Inner",
                    "States": {
                        "Inner": passing(Assign={"name": "inner"}, Next="Read"),
                        "Read": passing(Parameters={"factor.$": "$factor", "name.$": "$name"}, End=True),
                    },
                },
                "Next": "After",
            },
        ),
        ("After", passing(Parameters={"name.$": "$name", "items.$": "$"}, End=True)),
    )
    driver = run(definition, [1, 2])
    assert driver.output == {
        "name": "outer",
        "items": [{"factor": 3, "name": "inner"}, {"factor": 3, "name": "inner"}],
    }


def test_parallel_branches_have_scopes_of_their_own() -> None:
    branch = {
        "StartAt": "Set",
        "States": {
            "Set": passing(Assign={"mine.$": "$.n"}, Next="Get"),
            "Get": passing(Parameters={"mine.$": "$mine", "shared.$": "$shared"}, End=True),
        },
    }
    definition = machine(
        ("Init", passing(Assign={"shared": "s"}, Next="Both")),
        (
            "Both",
            {"Type": "Parallel", "Branches": [branch, branch], "Parameters": {"n.$": "$.n"}, "End": True},
        ),
    )
    driver = run(definition, {"n": 7})
    assert driver.output == [{"mine": 7, "shared": "s"}, {"mine": 7, "shared": "s"}]


def test_distributed_map_children_cannot_see_the_parents_variables() -> None:
    definition = machine(
        ("Init", passing(Assign={"secret": 1}, Next="Each")),
        (
            "Each",
            {
                "Type": "Map",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "Read",
                    "States": {"Read": passing(Parameters={"s.$": "$secret"}, End=True)},
                },
                "End": True,
            },
        ),
    )
    driver = run(definition, [1])
    assert driver.status == "FAILED"


# ---- limits --------------------------------------------------------------------------------------


def test_a_variable_over_256_kib_fails_the_state() -> None:
    big = "x" * MAX_VARIABLE_BYTES
    driver = run(machine(("Init", passing(Result=big, ResultPath=None, Assign={"big.$": "$"}, End=True))))
    assert driver.status == "FAILED"
    error, cause = driver.error_and_cause
    assert error == "States.Runtime"
    assert "The variable 'big' has a size of" in (cause or "")


def test_the_history_limit_fails_the_execution_with_its_last_event() -> None:
    loop = machine(
        ("A", passing(Next="B")),
        ("B", passing(Next="A")),
    )
    driver = run(loop, max_history_events=50)
    assert driver.status == "FAILED"
    assert len(driver.history) == 50
    assert driver.history[-1]["type"] == "ExecutionFailed"
    assert driver.error_and_cause == (
        "States.Runtime",
        "The execution reached the maximum number of history events (50).",
    )
