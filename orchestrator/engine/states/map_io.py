"""A DISTRIBUTED Map's ``ItemReader`` and ``ResultWriter`` inside the interpreter.

The interpreter does no I/O: reading items is a ``ReadItems`` command answered by ``ItemsRead`` /
``ItemsReadFailed``, exporting results a ``WriteResults`` command answered by ``ResultsWritten`` /
``ResultsWriteFailed`` (the runtime carries them out with :mod:`orchestrator.itemio`). Observed on AWS:
a Map with an ItemReader writes ``MapStateStarted`` with length 0, then ``MapRunStarted``, then reads;
a read failure is ``MapRunFailed`` (with the error and cause), then ``MapStateFailed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.dataflow import jsonata
from orchestrator.engine.dataflow import bindings, field_value, is_jsonata, payload
from orchestrator.engine.errors import ITEM_READER_FAILED, RUNTIME
from orchestrator.engine.model import ReadItems, WriteResults
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.asl.models import MapState
    from orchestrator.engine.model import Join, Thread
    from orchestrator.engine.run import Run
    from orchestrator.engine.states.map import MapHandler

S3_PUT_OBJECT = "arn:aws:states:::s3:putObject"


def reads_items(state: MapState) -> bool:
    """Whether the Map's items come from its ``ItemReader`` (DISTRIBUTED Maps only)."""
    return state.distributed and isinstance(state.item_reader, dict)


def exports_results(state: MapState) -> bool:
    """Whether the Map writes its results to an object store (``ResultWriter`` with a ``Resource``)."""
    writer = state.result_writer
    return state.distributed and isinstance(writer, dict) and "Resource" in writer


def _arguments(run: Run, thread: Thread, state: MapState, spec: dict[str, Any], value: Any) -> dict[str, Any]:
    """``Parameters`` (JSONPath, on the state's effective input) or ``Arguments`` (JSONata)."""
    if is_jsonata(run, state):
        template = spec.get("Arguments")
        found = (
            {}
            if template is None
            else jsonata.evaluate_template(template, bindings(run, thread, state), "Arguments")
        )
    else:
        template = spec.get("Parameters")
        found = {} if template is None else payload(run, thread, state, template, value)
    return found if isinstance(found, dict) else {}


def read_request(handler: MapHandler, run: Run, thread: Thread, state: MapState, value: Any) -> ReadItems:
    """The ``ReadItems`` command for the Map's ``ItemReader`` (``read_id`` left empty). A
    ``MaxItemsPath`` that is not an integer fails the state with States.Runtime (observed)."""
    reader: dict[str, Any] = state.item_reader
    config = dict(reader.get("ReaderConfig") or {})
    max_items: Any = 0
    if "MaxItemsPath" in config:
        path = str(config.pop("MaxItemsPath"))
        max_items = handler._number(run, thread, state, path, value, "MaxItemsPath", "integer")
    elif "MaxItems" in config:
        max_items = field_value(run, thread, state, config.pop("MaxItems"), "MaxItems", "integer")
    if isinstance(max_items, bool) or not isinstance(max_items, int | float):
        raise StatesError(RUNTIME, f"The MaxItems field must be an integer: {max_items}")
    return ReadItems(
        read_id="",
        resource=str(reader.get("Resource", "")),
        parameters=_arguments(run, thread, state, reader, value),
        reader_config=config,
        max_items=int(max_items),
    )


def writer_parameters(run: Run, thread: Thread, state: MapState, value: Any) -> dict[str, Any] | None:
    """The ``ResultWriter``'s evaluated Parameters/Arguments, when it exports (else None)."""
    if not exports_results(state):
        return None
    return _arguments(run, thread, state, state.result_writer, value)


def request_items(run: Run, thread: Thread, state: MapState, join: Join, request: ReadItems) -> None:
    """Send the read (the thread waits on ``join.io_id``); a negative MaxItems fails the map run."""
    if request.max_items < 0:
        map_run_failed(run, thread, state, ITEM_READER_FAILED, "field MaxItems must be positive")
        return
    join.io_id = run.new_id("read")
    run.commands.append(
        ReadItems(join.io_id, request.resource, request.parameters, request.reader_config, request.max_items)
    )


def request_write(run: Run, thread: Thread, state: MapState, join: Join) -> None:
    """Export the results (the thread waits on ``join.io_id``)."""
    assert join.map_run_arn is not None
    writer: dict[str, Any] = state.result_writer
    prefix, _, rest = join.map_run_arn.partition(":mapRun:")
    machine_and_label = rest.rsplit(":", 1)[0]
    join.io_id = run.new_id("write")
    run.commands.append(
        WriteResults(
            write_id=join.io_id,
            map_run_arn=join.map_run_arn,
            state_machine_arn=f"{prefix}:stateMachine:{machine_and_label}",
            resource=str(writer.get("Resource", S3_PUT_OBJECT)),
            parameters=dict(join.result_writer or {}),
            writer_config=dict(writer.get("WriterConfig") or {}),
        )
    )


def transformed(state: MapState, results: list[Any]) -> list[Any]:
    """The Map's output under a ``WriterConfig`` without export: COMPACT (the children's outputs, the
    default) or FLATTEN (array outputs spliced in)."""
    writer = state.result_writer
    config = writer.get("WriterConfig") if isinstance(writer, dict) else None
    if not isinstance(config, dict) or config.get("Transformation") != "FLATTEN":
        return results
    flat: list[Any] = []
    for result in results:
        flat.extend(result if isinstance(result, list) else [result])
    return flat


def map_run_failed(run: Run, thread: Thread, state: MapState, error: str, cause: str) -> None:
    """The map run itself failed (its reader or writer): ``MapRunFailed`` with the error, then the
    state's failure (``MapStateFailed``, Retry, Catch)."""
    from orchestrator.engine.states.map import record_map_run

    join = thread.join
    if join is not None:
        thread.join = None
        run.abort_children(join)
        run.writer.add(thread.hctx, "MapRunFailed", run.now, {"error": error, "cause": cause})
        record_map_run(run, join, "FAILED")
    run.state_failed(thread, state, error, cause, "MapStateFailed")
