"""The Coordination contract (inboxes, ready queue, leases, timers, outboxes), run against every store in
``conftest.STORE_FACTORIES``."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from orchestrator.store.base import NewExecution, VersionConflict
from tests.store.test_memory import event, execution

ARN = execution().arn


def created(store: Any) -> Any:
    store.create_execution(execution(), None)
    return store


def test_a_posted_event_lands_in_the_inbox_and_marks_the_execution_ready(store: Any) -> None:
    created(store).post(ARN, {"kind": "Start"})

    assert store.inbox(ARN) == [{"kind": "Start"}]
    assert store.next_ready(1.0) == ARN
    assert store.next_ready(0.05) is None


def test_commit_consumes_applied_inbox_events_and_keeps_later_ones(store: Any) -> None:
    created(store)
    store.post(ARN, {"kind": "Start"})
    store.post(ARN, {"kind": "TimerFired", "timer_id": "t1"})

    version = store.commit(ARN, 0, {"s": 1}, [event(1)], consumed=1, outbox=[{"kind": "RunTask"}])

    assert version == 1
    assert store.inbox(ARN) == [{"kind": "TimerFired", "timer_id": "t1"}]
    assert store.outbox(ARN) == [{"kind": "RunTask"}]
    assert store.load_state(ARN) == ({"s": 1}, 1)


def test_a_stale_commit_consumes_nothing_and_leaves_the_outbox(store: Any) -> None:
    created(store)
    store.post(ARN, {"kind": "Start"})
    store.commit(ARN, 0, {"s": 1}, [event(1)], consumed=0, outbox=[{"kind": "A"}])

    with pytest.raises(VersionConflict):
        store.commit(ARN, 0, {"s": 2}, [event(2)], consumed=1, outbox=[{"kind": "B"}])

    assert store.inbox(ARN) == [{"kind": "Start"}]
    assert store.outbox(ARN) == [{"kind": "A"}]
    assert store.history(ARN) == [event(1)]


def test_the_outbox_is_cleared_only_for_the_current_version(store: Any) -> None:
    created(store)
    store.commit(ARN, 0, None, [], outbox=[{"kind": "A"}])
    store.commit(ARN, 1, None, [], outbox=[{"kind": "B"}])

    store.clear_outbox(ARN, 1)
    assert store.outbox(ARN) == [{"kind": "B"}]
    store.clear_outbox(ARN, 2)
    assert store.outbox(ARN) == []


def test_a_lease_excludes_other_owners_until_released_or_expired(store: Any) -> None:
    created(store)
    assert store.acquire(ARN, "a", 30.0)
    assert store.acquire(ARN, "a", 30.0)  # renewal
    assert not store.acquire(ARN, "b", 30.0)

    store.release(ARN, "a")
    assert store.acquire(ARN, "b", 0.05)
    threading.Event().wait(0.15)
    assert store.acquire(ARN, "c", 30.0)


def test_releasing_with_events_left_marks_the_execution_ready_again(store: Any) -> None:
    created(store)
    store.post(ARN, {"kind": "Start"})
    assert store.next_ready(1.0) == ARN
    store.acquire(ARN, "a", 30.0)

    store.release(ARN, "a")

    assert store.next_ready(1.0) == ARN


def test_a_post_to_a_leased_execution_leaves_it_to_the_holder_s_release(store: Any) -> None:
    created(store)
    assert store.acquire(ARN, "a", 30.0)

    store.post(ARN, {"kind": "TaskSucceeded"})
    assert store.next_ready(0.05) is None  # the holder would find it empty-handed

    store.release(ARN, "a")
    assert store.next_ready(1.0) == ARN
    assert store.next_ready(0.05) is None


def test_an_execution_waiting_in_the_ready_list_is_no_orphan(store: Any) -> None:
    created(store).post(ARN, {"kind": "Start"})

    assert store.requeue_orphans() == 0

    assert store.next_ready(1.0) == ARN
    assert store.next_ready(0.05) is None


def test_one_caller_per_period_scans_for_orphans(store: Any) -> None:
    assert store.claim_orphan_scan("a", 0.1)
    assert not store.claim_orphan_scan("b", 0.1)
    assert not store.claim_orphan_scan("a", 0.1)

    threading.Event().wait(0.15)

    assert store.claim_orphan_scan("b", 0.1)


def test_orphans_with_inbox_events_and_no_lease_are_requeued(store: Any) -> None:
    created(store)
    store.post(ARN, {"kind": "Start"})
    assert store.next_ready(1.0) == ARN
    store.acquire(ARN, "dead", 0.05)
    assert store.requeue_orphans() == 0

    threading.Event().wait(0.15)

    assert store.requeue_orphans() == 1
    assert store.next_ready(1.0) == ARN


def test_due_timers_are_claimed_once_in_due_order(store: Any) -> None:
    created(store)
    store.add_timer(ARN, "late", 200.0)
    store.add_timer(ARN, "early", 100.0)
    store.add_timer(ARN, "cancelled", 50.0)
    store.cancel_timer(ARN, "cancelled")

    assert store.next_timer_due() == 100.0
    assert store.claim_due_timers(150.0) == [(ARN, "early")]
    assert store.claim_due_timers(150.0) == []
    assert store.claim_due_timers(250.0) == [(ARN, "late")]
    assert store.next_timer_due() is None


def test_next_ready_waits_for_a_post_from_another_thread(store: Any) -> None:
    created(store)
    poster = threading.Timer(0.05, lambda: store.post(ARN, {"kind": "Start"}))
    poster.start()

    assert store.next_ready(2.0) == ARN
    poster.join()  # the post returns after its last reply; the store closes only then


def test_a_timer_is_claimed_by_one_caller_only(store: Any) -> None:
    created(store)
    store.add_timer(ARN, "t", 100.0)

    assert store.claim_timer(ARN, "t")
    assert not store.claim_timer(ARN, "t")
    assert store.claim_due_timers(200.0) == []


def test_take_acquires_and_reads_everything_and_settle_clears_and_releases(store: Any) -> None:
    created(store)
    store.post(ARN, {"kind": "Start"})
    version = store.commit(ARN, 0, {"s": 1}, [], outbox=[{"kind": "A"}])

    taken = store.take(ARN, "a", 30.0)
    assert taken is not None
    assert (taken.outbox, taken.inbox, taken.state, taken.version) == (
        [{"kind": "A"}],
        [{"kind": "Start"}],
        {"s": 1},
        1,
    )
    assert store.take(ARN, "b", 30.0) is None

    store.settle(ARN, "a", version)

    assert store.outbox(ARN) == []
    assert store.acquire(ARN, "b", 30.0)


def test_start_executions_creates_them_at_their_first_step_and_skips_existing_ones(store: Any) -> None:
    first, second = execution("s1"), execution("s2")
    new = NewExecution(first, {"n": 1}, [event(1), event(2)], [{"kind": "RunTask"}])

    started = store.start_executions([new, NewExecution(second, {"n": 2})], "creator", 30.0)
    assert started == [first.arn, second.arn]
    assert store.start_executions([NewExecution(first, {"n": 9}, [event(9)])], "other", 30.0) == []

    assert store.load_state(first.arn) == ({"n": 1}, 1)
    assert store.history(first.arn) == [event(1), event(2)]
    assert store.outbox(first.arn) == [{"kind": "RunTask"}]
    assert store.inbox(first.arn) == []
    assert store.get_execution(second.arn) == second
    assert store.outbox(second.arn) == []
    assert not store.acquire(first.arn, "other", 30.0)  # their creator carries the outbox out
    assert store.next_ready(0.05) is None
    assert store.requeue_orphans() == 0


def test_settle_all_posts_then_settles_each_execution(store: Any) -> None:
    first, second = execution("s1"), execution("s2")
    outbox = [{"kind": "RunTask"}]
    store.start_executions(
        [NewExecution(first, {}, [], outbox), NewExecution(second, {}, [], outbox)], "c", 30.0
    )
    store.post(second.arn, {"kind": "StopRequested"})  # leased: left to the release
    created(store)

    store.settle_all("c", [(first.arn, 1), (second.arn, 7)], [(ARN, {"kind": "ChildExecutionFinished"})])

    assert store.outbox(first.arn) == []
    assert store.outbox(second.arn) == outbox  # version 7 is not current
    assert store.inbox(ARN) == [{"kind": "ChildExecutionFinished"}]
    assert sorted({store.next_ready(1.0), store.next_ready(1.0)}) == sorted([ARN, second.arn])
    assert store.acquire(first.arn, "other", 30.0)


def test_an_execution_started_with_an_outbox_is_an_orphan_if_its_creator_dies(store: Any) -> None:
    store.start_executions(
        [NewExecution(execution("s1"), {"n": 1}, [event(1)], [{"kind": "RunTask"}])], "c", 0.05
    )
    assert store.requeue_orphans() == 0

    threading.Event().wait(0.15)

    assert store.requeue_orphans() == 1
    assert store.next_ready(1.0) == execution("s1").arn


def test_settle_posts_before_it_clears_and_releases(store: Any) -> None:
    other = execution("other")
    created(store)
    store.create_execution(other, None)
    taken = store.take(ARN, "a", 30.0)
    assert taken is not None
    version = store.commit(ARN, 0, {"s": 1}, [event(1)], outbox=[{"kind": "NotifyParent"}])

    store.settle(ARN, "a", version, [(other.arn, {"kind": "ChildExecutionFinished"})])

    assert store.outbox(ARN) == []
    assert store.inbox(other.arn) == [{"kind": "ChildExecutionFinished"}]
    assert store.next_ready(1.0) == other.arn
    assert store.acquire(ARN, "b", 30.0)


def test_commit_settle_commits_posts_and_releases_at_once(store: Any) -> None:
    parent = execution("parent")
    created(store)
    store.create_execution(parent, None)
    store.post(ARN, {"kind": "TaskSucceeded"})
    assert store.next_ready(1.0) == ARN
    taken = store.take(ARN, "a", 30.0)
    assert taken is not None
    store.post(ARN, {"kind": "TaskHeartbeat"})  # arrives during the round: left for the next one

    version = store.commit_settle(
        ARN, 0, {"s": 1}, [event(1)], None, consumed=1, owner="a", posts=[(parent.arn, {"kind": "Done"})]
    )

    assert version == 1
    assert store.load_state(ARN) == ({"s": 1}, 1)
    assert store.history(ARN) == [event(1)]
    assert store.inbox(ARN) == [{"kind": "TaskHeartbeat"}]
    assert store.outbox(ARN) == []
    assert store.inbox(parent.arn) == [{"kind": "Done"}]
    assert sorted({store.next_ready(1.0), store.next_ready(1.0)}) == sorted([ARN, parent.arn])
    assert store.acquire(ARN, "b", 30.0)


def test_a_stale_commit_settle_writes_nothing_and_keeps_the_lease(store: Any) -> None:
    parent = execution("parent")
    created(store)
    store.create_execution(parent, None)
    assert store.acquire(ARN, "a", 30.0)

    with pytest.raises(VersionConflict):
        store.commit_settle(
            ARN, 5, {"s": 1}, [event(1)], None, consumed=0, owner="a", posts=[(parent.arn, {})]
        )

    assert store.history(ARN) == []
    assert store.inbox(parent.arn) == []
    assert not store.acquire(ARN, "b", 30.0)
