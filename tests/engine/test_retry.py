"""Retry: which retrier applies, the wait before each attempt, its per-retrier counter, FULL jitter."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestrator.asl.models import Retrier
from orchestrator.engine.retry import retry_delay


def retriers(*fields: dict[str, Any]) -> list[Retrier]:
    return [Retrier.model_validate({"ErrorEquals": ["States.ALL"], **f}) for f in fields]


def delays(policy: list[Retrier], error: str = "Oops", seed: str = "seed", limit: int = 50) -> list[float]:
    """Every delay ``policy`` grants for repeated ``error`` until it gives up."""
    counts: list[int] = []
    found = []
    while (delay := retry_delay(policy, counts, error, seed)) is not None:
        found.append(delay)
        assert len(found) <= limit, "the retrier never gave up"
    return found


def test_the_defaults_are_one_second_doubling_three_times() -> None:
    assert delays(retriers({})) == [1.0, 2.0, 4.0]


def test_interval_times_backoff_rate_to_the_attempt() -> None:
    assert delays(retriers({"IntervalSeconds": 3, "BackoffRate": 1.5, "MaxAttempts": 4})) == [
        3.0,
        4.5,
        6.75,
        10.125,
    ]


def test_a_backoff_rate_of_one_keeps_the_interval() -> None:
    assert delays(retriers({"IntervalSeconds": 7, "BackoffRate": 1, "MaxAttempts": 3})) == [7.0, 7.0, 7.0]


def test_max_delay_seconds_caps_every_wait() -> None:
    policy = retriers({"IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 5, "MaxDelaySeconds": 10})

    assert delays(policy) == [2.0, 6.0, 10.0, 10.0, 10.0]


def test_max_attempts_zero_never_retries() -> None:
    counts: list[int] = []

    assert retry_delay(retriers({"MaxAttempts": 0}), counts, "Oops", "seed") is None


def test_no_matching_retrier_means_no_retry_and_no_count() -> None:
    policy = retriers({"ErrorEquals": ["Other"]})
    counts: list[int] = []

    assert (retry_delay(policy, counts, "Oops", "seed"), counts) == (None, [0])


def test_the_first_matching_retrier_decides_and_only_its_counter_moves() -> None:
    policy = retriers({"ErrorEquals": ["A"], "MaxAttempts": 2, "IntervalSeconds": 5}, {"IntervalSeconds": 1})
    counts: list[int] = []

    first = retry_delay(policy, counts, "B", "s")
    second = retry_delay(policy, counts, "A", "s")
    third = retry_delay(policy, counts, "B", "s")

    assert (first, second, third) == (1.0, 5.0, 2.0)
    assert counts == [1, 2]


def test_an_exhausted_retrier_does_not_fall_through_to_a_later_one() -> None:
    policy = retriers({"ErrorEquals": ["A"], "MaxAttempts": 1}, {"MaxAttempts": 5})
    counts: list[int] = []
    retry_delay(policy, counts, "A", "s")

    assert retry_delay(policy, counts, "A", "s") is None


def test_states_runtime_is_never_retried() -> None:
    assert retry_delay(retriers({"ErrorEquals": ["States.Runtime"]}), [], "States.Runtime", "s") is None


# ---- FULL jitter -------------------------------------------------------------------------------------

FULL = {
    "IntervalSeconds": 4,
    "BackoffRate": 2,
    "MaxAttempts": 6,
    "MaxDelaySeconds": 50,
    "JitterStrategy": "FULL",
}
UNJITTERED = [4.0, 8.0, 16.0, 32.0, 50.0, 50.0]


@given(st.text(max_size=30))
def test_full_jitter_draws_between_zero_and_the_unjittered_delay(seed: str) -> None:
    drawn = delays(retriers(FULL), seed=seed)

    assert len(drawn) == len(UNJITTERED)
    assert all(0.0 <= d <= ceiling for d, ceiling in zip(drawn, UNJITTERED, strict=True))


def test_full_jitter_is_deterministic_for_the_same_seed() -> None:
    assert delays(retriers(FULL), seed="exec:0:T") == delays(retriers(FULL), seed="exec:0:T")


def test_full_jitter_differs_between_seeds_and_actually_jitters() -> None:
    first, second = delays(retriers(FULL), seed="exec-a"), delays(retriers(FULL), seed="exec-b")

    assert first != second
    assert first != UNJITTERED


@pytest.mark.parametrize("strategy", ["NONE", None])
def test_no_jitter_without_full(strategy: str | None) -> None:
    fields = {k: v for k, v in FULL.items() if k != "JitterStrategy"}
    if strategy is not None:
        fields["JitterStrategy"] = strategy

    assert delays(retriers(fields)) == UNJITTERED
