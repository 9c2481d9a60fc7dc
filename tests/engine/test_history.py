"""History events: the ``previousEventId`` chain, checked on small machines and against histories
recorded on AWS (the conformance corpus in ``../shared/conformance``, skipped when it is missing)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from orchestrator.engine.history import HistoryContext, HistoryWriter
from orchestrator.engine.model import StopRequested
from tests.engine.driver import Driver, machine, run

CONFORMANCE_DIR = Path(
    os.environ.get(
        "SFN_CONFORMANCE_DIR", Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance"
    )
)
SCENARIOS = "v2_scenarios_test_base_scenarios--TestBaseScenarios--"

Triple = tuple[Any, int, str]


def pass_state(**fields: Any) -> dict[str, Any]:
    return {"Type": "Pass", **fields}


# ---- the writer ---------------------------------------------------------------------------------


def test_each_event_points_at_the_previous_one_of_its_thread() -> None:
    writer, ctx = HistoryWriter(), HistoryContext()

    ids = [
        writer.add(ctx, name, 0.0) for name in ("PassStateEntered", "PassStateExited", "ExecutionSucceeded")
    ]

    assert ids == [1, 2, 3]
    assert [e["previousEventId"] for e in writer.drain()] == [0, 1, 2]


@pytest.mark.parametrize(
    "unchained",
    [
        "ExecutionStarted",
        "MapStateSucceeded",
        "MapIterationSucceeded",
        "MapIterationFailed",
        "MapIterationAborted",
    ],
)
def test_unchained_events_are_numbered_but_not_pointed_at(unchained: str) -> None:
    writer, ctx = HistoryWriter(), HistoryContext()
    writer.add(ctx, "PassStateEntered", 0.0)

    writer.add(ctx, unchained, 0.0)
    writer.add(ctx, "PassStateExited", 0.0)

    assert [(e["id"], e["previousEventId"]) for e in writer.drain()] == [(1, 0), (2, 1), (3, 1)]


def test_a_forked_context_starts_from_the_parents_source_and_integrates_the_larger_ids() -> None:
    writer, parent = HistoryWriter(), HistoryContext()
    writer.add(parent, "ParallelStateStarted", 0.0)
    left, right = parent.fork(), parent.fork()

    writer.add(left, "PassStateEntered", 0.0)
    writer.add(right, "PassStateEntered", 0.0)
    writer.add(left, "PassStateExited", 0.0)
    parent.integrate(right)
    parent.integrate(left)

    assert [e["previousEventId"] for e in writer.drain()] == [0, 1, 1, 2]
    assert (parent.source, parent.last) == (4, 4)


@pytest.mark.parametrize(
    ("event_type", "details_key"),
    [
        ("PassStateEntered", "stateEnteredEventDetails"),
        ("MapStateExited", "stateExitedEventDetails"),
        ("ExecutionFailed", "executionFailedEventDetails"),
        ("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails"),
        ("TaskTimedOut", "taskTimedOutEventDetails"),
        ("MapIterationStarted", "mapIterationStartedEventDetails"),
    ],
)
def test_details_go_under_the_key_aws_uses(event_type: str, details_key: str) -> None:
    writer = HistoryWriter()

    writer.add(HistoryContext(), event_type, 12.5, {"k": "v"})

    assert writer.drain() == [
        {"timestamp": 12.5, "type": event_type, "id": 1, "previousEventId": 0, details_key: {"k": "v"}}
    ]


def test_numbering_continues_across_steps() -> None:
    definition = machine(("W", {"Type": "Wait", "Seconds": 5, "Next": "P"}), ("P", pass_state(End=True)))

    driver = run(definition)

    assert [e["id"] for e in driver.history] == list(range(1, 7))


# ---- the rules on small machines ----------------------------------------------------------------


def test_execution_started_is_not_chained_so_the_first_state_points_at_zero() -> None:
    driver = run(machine(("P", pass_state(End=True))))

    assert driver.triples()[:2] == [(1, 0, "ExecutionStarted"), (2, 0, "PassStateEntered")]


def test_parallel_branches_fork_from_parallel_state_started() -> None:
    branch = {"StartAt": "B", "States": {"B": pass_state(Next="C"), "C": pass_state(End=True)}}
    driver = run(machine(("Par", pass_state(Type="Parallel", Branches=[branch, branch, branch], End=True))))
    (started,) = driver.events("ParallelStateStarted")

    branch_entries = [
        e for e in driver.events("PassStateEntered") if e["stateEnteredEventDetails"]["name"] == "B"
    ]

    assert [e["previousEventId"] for e in branch_entries] == [started["id"]] * 3


def test_map_iterations_of_one_slot_follow_each_other_and_succeeded_is_not_chained() -> None:
    processor = {"StartAt": "P", "States": {"P": pass_state(End=True)}}

    driver = run(
        machine(("M", pass_state(Type="Map", MaxConcurrency=1, ItemProcessor=processor, End=True))), [1, 2]
    )

    assert driver.triples() == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "MapStateEntered"),
        (3, 2, "MapStateStarted"),
        (4, 3, "MapIterationStarted"),
        (5, 4, "PassStateEntered"),
        (6, 5, "PassStateExited"),
        (7, 6, "MapIterationSucceeded"),
        (8, 6, "MapIterationStarted"),
        (9, 8, "PassStateEntered"),
        (10, 9, "PassStateExited"),
        (11, 10, "MapIterationSucceeded"),
        (12, 11, "MapStateSucceeded"),
        (13, 11, "MapStateExited"),
        (14, 13, "ExecutionSucceeded"),
    ]


def test_concurrent_map_iterations_all_fork_from_map_state_started() -> None:
    processor = {"StartAt": "P", "States": {"P": pass_state(End=True)}}

    driver = run(machine(("M", pass_state(Type="Map", ItemProcessor=processor, End=True))), [1, 2, 3])
    (started,) = driver.events("MapStateStarted")

    assert [e["previousEventId"] for e in driver.events("MapIterationStarted")] == [started["id"]] * 3


def test_execution_aborted_is_not_chained() -> None:
    driver = Driver.start(machine(("W", {"Type": "Wait", "Seconds": 10, "End": True})))

    driver.send(StopRequested())

    assert driver.triples() == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "WaitStateEntered"),
        (3, 0, "ExecutionAborted"),
    ]


# ---- recorded histories -------------------------------------------------------------------------


def load_case(name: str) -> dict[str, Any]:
    path = CONFORMANCE_DIR / "cases" / f"{name}.json"
    if not CONFORMANCE_DIR.is_dir():
        pytest.skip(f"the conformance corpus is not at {CONFORMANCE_DIR}")
    case: dict[str, Any] = json.loads(path.read_text())
    return case


def replay(case: dict[str, Any]) -> Driver:
    """Run a case's definition on its input; a ``stop_execution`` harness action stops it once started."""
    env = case["env"]
    driver = Driver.start(
        case["definition"],
        case["input"],
        execution_arn=env["execution_arn"],
        machine_arn=env["state_machine_arn"],
        role_arn=env["role_arn"],
    )
    if any(action.get("op") == "stop_execution" for action in case.get("harness_actions") or []):
        driver.send(StopRequested())
    return driver.run()


def as_recorded(events: list[Triple]) -> list[Triple]:
    """The recorder's Parallel transform (``_sort_parallel_events`` in the corpus' normalise.py), on
    triples: events after ``ParallelStateStarted`` get id ``[0]`` and previousEventId 0 and are sorted,
    and the block is written back at *each* closing event, so one closer per block is lost."""
    closers = ("ParallelStateSucceeded", "ParallelStateAborted", "ParallelStateExited", "ParallelStateFailed")
    events = list(events)
    block: list[Triple] = []
    start, inside, i = 0, False, 0
    while i < len(events):
        event_type = events[i][2]
        if event_type in closers:
            events[start:i] = sorted(block, key=lambda triple: triple[2])
            inside = False
        elif event_type == "ParallelStateStarted":
            inside, block, start = True, [], i + 1
        elif inside:
            events[i] = ([0], 0, event_type)
            block.append(events[i])
        i += 1
    return events


def recorded(case: dict[str, Any]) -> list[Triple]:
    triples = [(e["id"], e["previousEventId"], e["type"]) for e in case["expected_history"]]
    if any(rule.get("type") == "sort_parallel_events" for rule in case.get("normalise") or []):
        return as_recorded(triples)  # re-sorts the recorded block by type the same way
    return triples


def replayed(case: dict[str, Any], driver: Driver) -> list[Triple]:
    if any(rule.get("type") == "sort_parallel_events" for rule in case.get("normalise") or []):
        return as_recorded(driver.triples())
    return driver.triples()


@pytest.mark.parametrize(
    "case_name",
    [
        "test_map_state",
        "test_map_state_catch",
        "test_map_state_retry",
        "test_map_state_retry_legacy",
        "test_map_state_retry_multiple_retriers",
        "test_map_state_nested",
        "test_map_state_item_selector[MAP_STATE_ITEM_SELECTOR]",
        "test_parallel_state_catch",
        "test_parallel_state_fail",
        "test_parallel_state[PARALLEL_STATE]",
        "test_parallel_state[PARALLEL_STATE_PARAMETERS]",
    ],
)
def test_the_history_chain_matches_the_recording(case_name: str) -> None:
    case = load_case(SCENARIOS + case_name)

    driver = replay(case)

    assert driver.status == case["expected"]["status"]
    assert replayed(case, driver) == recorded(case)


def test_the_stop_execution_history_matches_the_recording() -> None:
    case = load_case("v2_test_sfn_api--TestSnfApi--test_stop_execution")

    driver = replay(case)

    assert driver.status == "ABORTED"
    assert driver.triples() == recorded(case)
