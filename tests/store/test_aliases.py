"""The aliases contract, run against every store: what one API server writes, another reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from orchestrator.store.aliases import Alias

MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:m"


def test_aliases_round_trip_are_listed_and_deleted(store: Any) -> None:
    alias = Alias(
        f"{MACHINE}:live", "live", MACHINE, [{"stateMachineVersionArn": f"{MACHINE}:1", "weight": 100}]
    )
    store.put_alias(alias)
    updated = Alias(f"{MACHINE}:beta", "beta", MACHINE, [], "d", update_date=datetime(2026, 1, 1, tzinfo=UTC))
    store.put_alias(updated)

    assert store.get_alias(alias.arn) == alias
    assert store.get_alias(updated.arn) == updated
    assert sorted(a.name for a in store.list_aliases()) == ["beta", "live"]
    store.delete_alias(alias.arn)
    assert store.get_alias(alias.arn) is None


def test_a_stored_alias_is_a_copy(store: Any) -> None:
    alias = Alias(f"{MACHINE}:live", "live", MACHINE, [])
    store.put_alias(alias)

    alias.description = "changed without put"

    stored = store.get_alias(alias.arn)
    assert stored is not None and stored.description == ""
