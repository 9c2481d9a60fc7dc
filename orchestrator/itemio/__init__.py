"""Distributed Map I/O: ``ItemReader`` (items read from an object store) and ``ResultWriter`` (child
executions' results exported to one), over the ``ObjectStore`` seam (S3 via boto3, or local files).
See docs/item-io.md."""

from orchestrator.itemio.carry_out import carry_out_read, carry_out_write
from orchestrator.itemio.errors import ItemIOError
from orchestrator.itemio.readers import parse_items, read_items
from orchestrator.itemio.stores import (
    LocalObjectStore,
    ObjectStore,
    ObjectStoreError,
    ObjectSummary,
    S3ObjectStore,
    configure_object_store,
    object_store,
    store_from_environment,
)
from orchestrator.itemio.writer import write_results

__all__ = [
    "ItemIOError",
    "LocalObjectStore",
    "ObjectStore",
    "ObjectStoreError",
    "ObjectSummary",
    "S3ObjectStore",
    "carry_out_read",
    "carry_out_write",
    "configure_object_store",
    "object_store",
    "parse_items",
    "read_items",
    "store_from_environment",
    "write_results",
]
