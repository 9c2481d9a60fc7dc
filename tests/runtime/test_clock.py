"""The clock seam: one contract for both clocks, then what only the skipping clock does."""

from __future__ import annotations

import time

import pytest

from orchestrator.runtime.clock import Clock, RealClock, SkippingClock

DAY = 86_400.0
SLACK = 5.0  # seconds of real time a slow machine may take between two lines


@pytest.fixture(params=["real", "skipping"])
def clock(request: pytest.FixtureRequest) -> Clock:
    return RealClock() if request.param == "real" else SkippingClock()


# ---- the contract -------------------------------------------------------------------------------


def test_a_fresh_execution_sees_wall_clock_time(clock: Clock) -> None:
    assert clock.now("exec") == pytest.approx(time.time(), abs=SLACK)


def test_time_never_goes_backwards(clock: Clock) -> None:
    before = clock.now("exec")

    clock.advance("exec", before - DAY)

    assert clock.now("exec") >= before


def test_advance_does_not_overshoot_its_target(clock: Clock) -> None:
    target = clock.now("exec") + 60

    clock.advance("exec", target)

    assert clock.now("exec") <= target + SLACK


def test_forgetting_any_execution_is_allowed(clock: Clock) -> None:
    clock.forget("never-seen")

    assert clock.now("never-seen") == pytest.approx(time.time(), abs=SLACK)


def test_the_skipping_flag_names_the_clock(clock: Clock) -> None:
    assert clock.skipping is isinstance(clock, SkippingClock)


# ---- real clock ---------------------------------------------------------------------------------


def test_the_real_clock_ignores_advance() -> None:
    clock = RealClock()

    clock.advance("exec", time.time() + DAY)

    assert clock.now("exec") == pytest.approx(time.time(), abs=SLACK)


# ---- skipping clock -----------------------------------------------------------------------------


def test_advance_jumps_one_execution_to_the_target() -> None:
    clock = SkippingClock()
    target = time.time() + DAY

    clock.advance("exec", target)

    assert clock.now("exec") == pytest.approx(target, abs=SLACK)


def test_each_execution_has_its_own_time() -> None:
    clock = SkippingClock()

    clock.advance("a", time.time() + DAY)

    assert clock.now("b") == pytest.approx(time.time(), abs=SLACK)


def test_advances_accumulate() -> None:
    clock = SkippingClock()

    clock.advance("exec", clock.now("exec") + DAY)
    clock.advance("exec", clock.now("exec") + DAY)

    assert clock.now("exec") == pytest.approx(time.time() + 2 * DAY, abs=SLACK)


def test_virtual_time_keeps_flowing_at_the_real_rate_after_a_jump() -> None:
    clock = SkippingClock()
    clock.advance("exec", time.time() + DAY)
    first = clock.now("exec")

    time.sleep(0.01)

    assert clock.now("exec") > first


def test_forget_drops_the_offset() -> None:
    clock = SkippingClock()
    clock.advance("exec", time.time() + DAY)

    clock.forget("exec")

    assert clock.now("exec") == pytest.approx(time.time(), abs=SLACK)
