"""What a runtime does with ``ReadItems`` and ``WriteResults``: the answering input event.

Both runtimes (embedded, coordinator) call these and post the event back to the execution; a failure is
data (``ItemsReadFailed`` / ``ResultsWriteFailed``), never an exception.
"""

from __future__ import annotations

import logging

from orchestrator.engine.model import (
    ItemsRead,
    ItemsReadFailed,
    ReadItems,
    ResultsWriteFailed,
    ResultsWritten,
    WriteResults,
)
from orchestrator.itemio.errors import ITEM_READER_FAILED, RESULT_WRITER_FAILED, ItemIOError
from orchestrator.itemio.readers import read_items
from orchestrator.itemio.stores import ObjectStore, object_store
from orchestrator.itemio.writer import write_results
from orchestrator.store.base import Store

log = logging.getLogger(__name__)


def carry_out_read(request: ReadItems, store: ObjectStore | None = None) -> ItemsRead | ItemsReadFailed:
    """Read the items ``request`` names (from ``store``, else the configured object store)."""
    try:
        return ItemsRead(request.read_id, read_items(store or object_store(), request))
    except ItemIOError as failure:
        return ItemsReadFailed(request.read_id, failure.error, failure.cause)
    except Exception as error:  # an unreachable endpoint, missing credentials, ...
        log.warning("ItemReader failed: %s", error)
        return ItemsReadFailed(request.read_id, ITEM_READER_FAILED, str(error))


def carry_out_write(
    request: WriteResults, executions: Store, store: ObjectStore | None = None
) -> ResultsWritten | ResultsWriteFailed:
    """Export the map run's child executions (read from ``executions``) with the ResultWriter."""
    children = [
        record
        for record in executions.list_executions(request.state_machine_arn)
        if record.map_run_arn == request.map_run_arn
    ]
    try:
        return ResultsWritten(request.write_id, write_results(store or object_store(), request, children))
    except ItemIOError as failure:
        return ResultsWriteFailed(request.write_id, failure.error, failure.cause)
    except Exception as error:
        log.warning("ResultWriter failed: %s", error)
        return ResultsWriteFailed(request.write_id, RESULT_WRITER_FAILED, str(error))


def io_id(
    message: ReadItems | WriteResults | ItemsRead | ItemsReadFailed | ResultsWritten | ResultsWriteFailed,
) -> str:
    """The read or write id a command or its answer carries."""
    if isinstance(message, ReadItems | ItemsRead | ItemsReadFailed):
        return message.read_id
    return message.write_id
