"""Timestamps: how the context object writes them and which strings Choice/Wait accept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orchestrator.engine.timefmt import iso, parse_timestamp


def test_iso_writes_utc_with_milliseconds_and_z() -> None:
    assert iso(1_700_000_000.1234) == "2023-11-14T22:13:20.123Z"


@pytest.mark.parametrize(
    ("text", "epoch"),
    [
        ("2023-11-14T22:13:20Z", 1_700_000_000.0),
        ("2023-11-14T23:13:20+01:00", 1_700_000_000.0),
        ("2023-11-14T22:13:20.5Z", 1_700_000_000.5),
        ("2023-11-14T22:13:20.123456789Z", 1_700_000_000.123456),
    ],
)
def test_parse_accepts_rfc3339_with_zone(text: str, epoch: float) -> None:
    parsed = parse_timestamp(text)

    assert parsed == pytest.approx(epoch, abs=1e-6)


@pytest.mark.parametrize(
    "text",
    [
        "2023-11-14",
        "2023-11-14T22:13:20",
        "2023-11-14 22:13:20Z",
        "2023-02-30T00:00:00Z",
        "2023-11-14T25:00:00Z",
        "",
    ],
)
def test_parse_rejects_other_text(text: str) -> None:
    assert parse_timestamp(text) is None


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2999, 12, 31)))
def test_iso_then_parse_round_trips_to_the_millisecond(moment: datetime) -> None:
    epoch = moment.replace(tzinfo=UTC).timestamp()

    parsed = parse_timestamp(iso(epoch))

    assert parsed is not None and abs(parsed - epoch) < 0.001
