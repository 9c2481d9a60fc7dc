"""Mocked Map and Parallel states: their own data flow runs, the mock stands for every iteration or branch.

A Map still reads its items (``ItemsPath``, or ``stateConfiguration.mapItemReaderData`` for an
``ItemReader``), selects and batches them, and evaluates ``MaxConcurrency`` and its tolerance, all of which
TestState inspects. ``mapIterationFailureCount`` failed iterations beyond the tolerance fail the state with
``States.ExceedToleratedFailureThreshold`` before the mock is looked at.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from orchestrator.dataflow.jsonpath import PathNotFound
from orchestrator.engine.dataflow import effective_input, finish_state, is_jsonata, read, select
from orchestrator.engine.states.map import MapHandler
from orchestrator.engine.test_state.run import (
    path_not_found,
    reference_path_error,
    threshold_error,
    tolerance_exceeded,
)
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.asl.models import MapState, ParallelState
    from orchestrator.engine.model import Thread
    from orchestrator.engine.test_state.request import Mock
    from orchestrator.engine.test_state.run import TestRun

_MAP = MapHandler()


def run_mocked_parallel(run: TestRun, thread: Thread, state: ParallelState, mock: Mock) -> None:
    effective_input(run, thread, state)
    _finish(run, thread, state, mock)


def run_mocked_map(run: TestRun, thread: Thread, state: MapState, mock: Mock) -> None:
    value = select(run, thread, state, state.input_path, thread.input)
    run.inspect("afterInputPath", value)
    items = _items(run, thread, state, value)
    if items is not None:
        items = _select_items(run, thread, state, value, items)
        items = _batch_items(run, thread, state, value, items)
    run.inspect("maxConcurrency", _MAP.max_concurrency_of(run, thread, state, value))
    count, percentage = _MAP.tolerance(run, thread, state, value)
    if count is not None:
        run.inspect("toleratedFailureCount", count)
    if percentage is not None:
        run.inspect("toleratedFailurePercentage", percentage)
    failures = run.configuration.map_iteration_failure_count or 0
    if tolerance_exceeded(failures, None if items is None else len(items), count, percentage):
        raise threshold_error()
    _finish(run, thread, state, mock)


def _finish(run: TestRun, thread: Thread, state: MapState | ParallelState, mock: Mock) -> None:
    if mock.is_error:
        run.state_failed(thread, state, mock.error or "", mock.cause)
        return
    finish_state(run, thread, state, mock.result)


def _items(run: TestRun, thread: Thread, state: MapState, value: Any) -> list[Any] | None:
    """The Map's items: from the reader's data when it has an ``ItemReader`` (None if no data was given)."""
    if state.item_reader is not None:
        data = run.configuration.map_item_reader_data
        return None if data is None else _read_items(state.item_reader, data)
    if is_jsonata(run, state):
        return _MAP.items(run, thread, state, value)
    path = state.items_path or "$"
    try:
        items = read(run, thread, state, path, value)
    except PathNotFound as missing:
        raise path_not_found(path, missing) from None
    if not isinstance(items, list):
        raise reference_path_error(path)
    run.inspect("afterItemsPath", items)
    return items


def _read_items(reader: Any, data: str) -> list[Any]:
    config = reader.get("ReaderConfig", {}) if isinstance(reader, dict) else {}
    input_type = str(config.get("InputType", "JSON")).upper()
    if input_type == "CSV":
        rows = list(csv.reader(io.StringIO(data)))
        if config.get("CSVHeaderLocation") == "GIVEN":
            header = list(config.get("CSVHeaders") or [])
        else:
            header, rows = (rows[0], rows[1:]) if rows else ([], [])
        return [dict(zip(header, row, strict=False)) for row in rows]
    if input_type == "JSONL":
        return [json.loads(line) for line in data.splitlines() if line.strip()]
    try:
        items = json.loads(data)
    except ValueError:
        raise StatesError("States.ItemReaderFailed", "The item reader data is not valid JSON.") from None
    return items if isinstance(items, list) else [items]


def _select_items(run: TestRun, thread: Thread, state: MapState, value: Any, items: list[Any]) -> list[Any]:
    selector = state.item_selector if state.item_selector is not None else state.parameters
    if selector is None:
        return items
    selected = [_MAP.item_input(run, thread, state, value, index, item) for index, item in enumerate(items)]
    run.inspect("afterItemSelector", selected)
    return selected


def _batch_items(run: TestRun, thread: Thread, state: MapState, value: Any, items: list[Any]) -> list[Any]:
    if not isinstance(state.item_batcher, dict):
        return items
    batches = _MAP.batches(run, thread, state, value, items)
    run.inspect("afterItemBatcher", batches)
    return batches
