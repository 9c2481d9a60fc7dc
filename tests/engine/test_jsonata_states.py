"""JSONata states in the interpreter: Arguments, Output, Assign, Condition, Items and JSONata-valued fields."""

from __future__ import annotations

import json
from typing import Any

from orchestrator.engine.model import RunTask
from tests.engine.driver import LAMBDA, T0, Driver, Failure, machine, run


def jsonata(*states: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return machine(*states, QueryLanguage="JSONata")


def echo(task: RunTask) -> Any:
    return task.parameters


def test_arguments_build_the_task_input_and_output_defaults_to_the_result() -> None:
    definition = jsonata(
        (
            "Work",
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "Arguments": {"sum": "{% $sum($states.input.values) %}", "fixed": "text"},
                "End": True,
            },
        )
    )
    driver = run(definition, {"values": [1, 2, 3]}, echo)
    assert driver.output == {"sum": 6, "fixed": "text"}


def test_output_reads_input_and_result() -> None:
    definition = jsonata(
        (
            "Work",
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "Output": {"in": "{% $states.input.n %}", "out": "{% $states.result.doubled %}"},
                "End": True,
            },
        )
    )
    driver = run(definition, {"n": 4}, lambda task: {"doubled": task.parameters["n"] * 2})
    assert driver.output == {"in": 4, "out": 8}


def test_a_pass_state_without_output_passes_its_input_on() -> None:
    assert run(jsonata(("P", {"Type": "Pass", "End": True})), {"a": 1}).output == {"a": 1}


def test_assign_and_output_both_see_the_variables_from_state_entry() -> None:
    definition = jsonata(
        ("First", {"Type": "Pass", "Assign": {"n": 1}, "Next": "Second"}),
        (
            "Second",
            {
                "Type": "Pass",
                "Assign": {"n": "{% $n + 1 %}", "before": "{% $n %}"},
                "Output": {"seen": "{% $n %}"},
                "Next": "Third",
            },
        ),
        ("Third", {"Type": "Pass", "Output": {"n": "{% $n %}", "before": "{% $before %}"}, "End": True}),
    )
    driver = run(definition)
    assert driver.exited_output("Second") == {"seen": 1}
    assert driver.output == {"n": 2, "before": 1}
    exited = next(e for e in driver.history if e.get("stateExitedEventDetails", {}).get("name") == "Second")
    assert exited["stateExitedEventDetails"]["assignedVariables"] == {"n": "2", "before": "1"}
    assert exited["stateExitedEventDetails"]["assignedVariablesDetails"] == {"truncated": False}


def test_choice_condition_picks_the_rule_and_its_output() -> None:
    definition = jsonata(
        (
            "Decide",
            {
                "Type": "Choice",
                "Choices": [
                    {"Condition": "{% $states.input.n > 5 %}", "Output": "big", "Next": "Done"},
                ],
                "Default": "Done",
                "Output": "small",
            },
        ),
        ("Done", {"Type": "Pass", "End": True}),
    )
    assert run(definition, {"n": 9}).output == "big"
    assert run(definition, {"n": 1}).output == "small"


def test_map_items_expressions_and_item_selector_with_the_item_context() -> None:
    definition = jsonata(
        (
            "Each",
            {
                "Type": "Map",
                "Items": [1, "{% 1 + 1 %}"],
                "ItemSelector": {
                    "value": "{% $states.context.Map.Item.Value %}",
                    "index": "{% $states.context.Map.Item.Index %}",
                    "tag": "{% $states.input.tag %}",
                },
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            },
        )
    )
    assert run(definition, {"tag": "t"}).output == [
        {"value": 1, "index": 0, "tag": "t"},
        {"value": 2, "index": 1, "tag": "t"},
    ]


def test_a_map_without_items_needs_an_array_input() -> None:
    definition = jsonata(
        (
            "Each",
            {
                "Type": "Map",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            },
        )
    )
    driver = run(definition, {"not": "a list"})
    assert driver.status == "FAILED"
    assert driver.error_and_cause == (
        "States.QueryEvaluationError",
        "An error occurred while executing the state 'Each' (entered at the event id #2). "
        'Map state input must be an array but was: {"not":"a list"}',
    )
    assert driver.types()[-3:] == ["EvaluationFailed", "MapStateFailed", "ExecutionFailed"]


def test_an_items_expression_of_the_wrong_type_is_an_evaluation_failure_with_its_location() -> None:
    definition = jsonata(
        (
            "Each",
            {
                "Type": "Map",
                "Items": "{% $states.input %}",
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
                "End": True,
            },
        )
    )
    driver = run(definition, {"a": 1})
    failed = driver.events("EvaluationFailed")[0]
    assert failed["evaluationFailedEventDetails"]["location"] == "Items"
    assert failed["evaluationFailedEventDetails"]["state"] == "Each"
    assert failed["previousEventId"] == 0  # chained where the Entered event was
    assert "Expected 'array', but was 'object'" in failed["evaluationFailedEventDetails"]["cause"]


def test_fail_error_and_cause_are_expressions() -> None:
    definition = jsonata(
        (
            "Stop",
            {
                "Type": "Fail",
                "Error": "{% $states.input.code %}",
                "Cause": "{% 'because ' & $states.input.why %}",
            },
        )
    )
    driver = run(definition, {"code": "E42", "why": "reasons"})
    assert driver.error_and_cause == ("E42", "because reasons")


def test_wait_seconds_is_an_expression_on_the_virtual_clock() -> None:
    definition = jsonata(("W", {"Type": "Wait", "Seconds": "{% $states.input.s * 2 %}", "End": True}))
    driver = Driver.start(definition, {"s": 30})
    assert list(driver.timers.values()) == [T0 + 60]
    driver.run()
    assert driver.status == "SUCCEEDED"


def test_an_invalid_wait_timestamp_chains_its_evaluation_failure_on_the_entered_event() -> None:
    definition = jsonata(("W", {"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": True}))
    driver = run(definition, {"t": "2016-12-05 21:29:29Z"})
    failed = driver.events("EvaluationFailed")[0]
    assert failed["previousEventId"] == 2
    assert failed["evaluationFailedEventDetails"]["location"] == "Timestamp"


def test_task_timeout_seconds_may_be_an_expression() -> None:
    definition = jsonata(
        ("Work", {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": "{% $states.input.t %}", "End": True})
    )
    driver = Driver.start(definition, {"t": 7})
    assert driver.pending_task().timeout_seconds == 7


def test_catch_output_and_assign_read_the_error_output() -> None:
    definition = jsonata(
        (
            "Work",
            {
                "Type": "Task",
                "Resource": LAMBDA,
                "Catch": [
                    {
                        "ErrorEquals": ["States.ALL"],
                        "Assign": {"lastError": "{% $states.errorOutput.Error %}"},
                        "Output": {"caught": "{% $states.errorOutput %}", "in": "{% $states.input %}"},
                        "Next": "Handle",
                    }
                ],
                "End": True,
            },
        ),
        (
            "Handle",
            {"Type": "Pass", "Output": {"o": "{% $states.input %}", "e": "{% $lastError %}"}, "End": True},
        ),
    )

    def fail(task: RunTask) -> Any:
        raise Failure("Boom", "broken")

    driver = run(definition, {"x": 1}, fail)
    assert driver.output == {
        "o": {"caught": {"Error": "Boom", "Cause": "broken"}, "in": {"x": 1}},
        "e": "Boom",
    }


def test_parallel_arguments_feed_every_branch_and_branches_see_outer_variables() -> None:
    branch = {
        "StartAt": "B",
        "States": {"B": {"Type": "Pass", "Output": "{% $states.input.v & $outer %}", "End": True}},
    }
    definition = jsonata(
        ("Init", {"Type": "Pass", "Assign": {"outer": "!"}, "Next": "Both"}),
        (
            "Both",
            {
                "Type": "Parallel",
                "Arguments": {"v": "{% $states.input.word %}"},
                "Branches": [branch, branch],
                "End": True,
            },
        ),
    )
    assert run(definition, {"word": "hi"}).output == ["hi!", "hi!"]


def test_an_undefined_assignment_fails_the_state_and_assigns_nothing() -> None:
    definition = jsonata(("P", {"Type": "Pass", "Assign": {"x": "{% $states.input.missing %}"}, "End": True}))
    driver = run(definition, {})
    assert driver.status == "FAILED"
    error, cause = driver.error_and_cause
    assert error == "States.QueryEvaluationError"
    assert cause is not None and cause.endswith(
        "The JSONata expression '$states.input.missing' specified for the field 'Assign/x' returned nothing "
        "(undefined)."
    )
    assert driver.state.threads[0].variables is None


def test_now_is_the_executions_clock() -> None:
    definition = jsonata(("P", {"Type": "Pass", "Output": "{% $millis() %}", "End": True}))
    assert run(definition).output == int(T0 * 1000)


def test_mixed_query_languages_per_state() -> None:
    definition = machine(
        ("Path", {"Type": "Pass", "Parameters": {"a.$": "$.a"}, "Assign": {"v.$": "$.a"}, "Next": "Ata"}),
        (
            "Ata",
            {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $v + $states.input.a %}", "End": True},
        ),
    )
    driver = run(definition, {"a": 20})
    assert driver.output == 40
    assert json.loads(driver.history[2]["stateExitedEventDetails"]["assignedVariables"]["v"]) == 20
