"""Test-case bindings and invocation counters."""

from __future__ import annotations

import threading

from orchestrator.mocking import TestCaseRuns, split_test_case

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:M"


def test_given_an_arn_with_a_test_case_expect_it_split_off() -> None:
    assert split_test_case(f"{MACHINE}#HappyPath") == (MACHINE, "HappyPath")
    assert split_test_case(MACHINE) == (MACHINE, None)
    assert split_test_case(f"{MACHINE}#") == (MACHINE, "")


def test_given_a_bound_execution_expect_invocations_counted_per_state() -> None:
    runs = TestCaseRuns()
    runs.bind("e1", "M", "T")
    counted = [runs.next_invocation("e1", s) for s in ("A", "A", "B", "A")]
    assert counted == [0, 1, 0, 2]
    run = runs.get("e1")
    assert run is not None and (run.machine_name, run.test_case) == ("M", "T")
    assert runs.get("e2") is None


def test_given_more_executions_than_the_capacity_expect_the_oldest_forgotten() -> None:
    runs = TestCaseRuns(capacity=2)
    for arn in ("e1", "e2", "e3"):
        runs.bind(arn, "M", "T")
    assert runs.get("e1") is None and runs.get("e2") is not None and runs.get("e3") is not None


def test_given_concurrent_invocations_expect_each_number_taken_once() -> None:
    runs = TestCaseRuns()
    runs.bind("e", "M", "T")
    taken: list[int] = []
    lock = threading.Lock()

    def invoke() -> None:
        for _ in range(100):
            number = runs.next_invocation("e", "S")
            with lock:
                taken.append(number)

    threads = [threading.Thread(target=invoke) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == list(range(800))


def test_a_child_shares_its_parents_test_case_and_counters() -> None:
    runs = TestCaseRuns()
    runs.bind("parent", "machine", "Case")
    runs.share("child-1", "parent")
    runs.share("child-2", "parent")
    runs.share("orphan", "unknown")

    numbers = [runs.next_invocation(arn, "Work") for arn in ("child-1", "child-2", "parent")]

    assert numbers == [0, 1, 2]
    assert runs.get("orphan") is None
