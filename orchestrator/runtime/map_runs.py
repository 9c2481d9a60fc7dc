"""Map-run records: what a runtime stores when the interpreter asks it to keep one (``RecordMapRun``)."""

from __future__ import annotations

from datetime import UTC, datetime

from orchestrator.engine.model import RecordMapRun
from orchestrator.store.records import MapRunRecord


def map_run_record(command: RecordMapRun) -> MapRunRecord:
    """The store's record of the map run ``command`` describes (epoch seconds become dates)."""
    return MapRunRecord(
        arn=command.map_run_arn,
        execution_arn=command.execution_arn,
        state_machine_arn=command.state_machine_arn,
        start_date=datetime.fromtimestamp(command.start_date, tz=UTC),
        status=command.status,
        stop_date=None if command.stop_date is None else datetime.fromtimestamp(command.stop_date, tz=UTC),
        max_concurrency=command.max_concurrency,
        tolerated_failure_count=command.tolerated_failure_count,
        tolerated_failure_percentage=command.tolerated_failure_percentage,
        item_count=command.item_count,
        execution_count=command.execution_count,
        batched=command.batched,
    )
