"""Map: run the item processor once per item, at most ``MaxConcurrency`` at a time (a sliding window).

INLINE iterations write ``MapIteration*`` events into the execution's history; DISTRIBUTED ones run as
child workflows whose events stay out of it (``MapRun*`` events instead). Failed iterations are
tolerated up to ``ToleratedFailureCount``/``ToleratedFailurePercentage``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from orchestrator.dataflow import jsonata
from orchestrator.dataflow.json_text import dumps
from orchestrator.dataflow.jsonpath import PathNotFound
from orchestrator.engine.dataflow import (
    bindings,
    field_value,
    finish_state,
    is_jsonata,
    payload,
    read,
    select,
)
from orchestrator.engine.errors import EXCEEDED_TOLERATED_FAILURE_THRESHOLD, RUNTIME
from orchestrator.engine.history import HistoryContext
from orchestrator.engine.model import (
    ChildExecutionFinished,
    Join,
    MapRunUpdated,
    RecordMapRun,
    StartChildExecution,
    child_execution,
)
from orchestrator.engine.redrive import remember, restore, resume_child
from orchestrator.engine.states import map_io
from orchestrator.engine.states.base import StateHandler
from orchestrator.errors import QueryEvaluationError, StatesError

if TYPE_CHECKING:
    from orchestrator.asl.models import MapState
    from orchestrator.engine.model import Thread
    from orchestrator.engine.run import Run


def _quoted(value: Any) -> str:
    return f'"{value if isinstance(value, str) else dumps(value)}"'


def _numeric_text(text: str) -> Any:
    """The number a string spells (``"1"`` -> 1), else the string itself."""
    for kind in (int, float):
        try:
            return kind(text.strip())
        except ValueError:
            continue
    return text


class MapHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: MapState) -> None:
        value = select(run, thread, state, state.input_path, thread.input)
        reading = map_io.reads_items(state)
        items = [] if reading else self.items(run, thread, state, value)
        item_count = len(items)
        batched = isinstance(state.item_batcher, dict)
        if batched:
            selected = [self.item_input(run, thread, state, value, i, item) for i, item in enumerate(items)]
            items = self.batches(run, thread, state, value, selected)
        max_concurrency = self.max_concurrency_of(run, thread, state, value)
        join = Join("map", results=[None] * len(items), remaining=len(items), items=items)
        join.pending = list(range(len(items)))
        join.effective_input = value
        join.batched = batched
        run.writer.add(thread.hctx, "MapStateStarted", run.now, {"length": len(items)})
        read = map_io.read_request(self, run, thread, state, value) if reading else None
        join.tolerated_count, join.tolerated_percentage = self.tolerance(run, thread, state, value)
        join.max_concurrency = max_concurrency
        join.result_writer = map_io.writer_parameters(run, thread, state, value)
        if state.distributed:
            join.map_run_arn = self._map_run_arn(run, thread, state)
            join.item_count, join.map_run_started = item_count, run.now
            run.writer.add(thread.hctx, "MapRunStarted", run.now, {"mapRunArn": join.map_run_arn})
            record_map_run(run, join, "RUNNING")
        thread.join = join
        if read is not None:
            map_io.request_items(run, thread, state, join, read)
            return
        self._run_items(run, thread, state)

    def on_items_read(self, run: Run, thread: Thread, items: list[Any]) -> None:
        """The ``ItemReader``'s items arrived: select, batch and run them as if they had been the input."""
        join = thread.join
        assert join is not None
        join.io_id = None
        state: MapState = run.current_state(thread)  # type: ignore[assignment]
        try:
            join.item_count = len(items)
            if join.batched:
                value = join.effective_input
                selected = [
                    self.item_input(run, thread, state, value, i, item) for i, item in enumerate(items)
                ]
                items = self.batches(run, thread, state, value, selected)
        except StatesError as failure:
            map_io.map_run_failed(run, thread, state, failure.error, run.cause_of(thread, failure))
            return
        join.items, join.results, join.remaining = items, [None] * len(items), len(items)
        join.pending = list(range(len(items)))
        record_map_run(run, join, "RUNNING")
        run.guarded(thread, state, lambda: self._run_items(run, thread, state))

    def on_io_failed(self, run: Run, thread: Thread, error: str, cause: str) -> None:
        """The ``ItemReader`` or ``ResultWriter`` failed: so does the map run."""
        assert thread.join is not None
        thread.join.io_id = None
        state: MapState = run.current_state(thread)  # type: ignore[assignment]
        map_io.map_run_failed(run, thread, state, error, cause)

    def on_results_written(self, run: Run, thread: Thread, details: dict[str, Any]) -> None:
        """The ``ResultWriter`` exported the results: the state's result is where they are."""
        join = thread.join
        assert join is not None and join.map_run_arn is not None
        join.io_id = None
        state: MapState = run.current_state(thread)  # type: ignore[assignment]
        self._succeed(run, thread, state, {"MapRunArn": join.map_run_arn, "ResultWriterDetails": details})

    def _run_items(self, run: Run, thread: Thread, state: MapState) -> None:
        """Start the first iterations (up to ``MaxConcurrency``), or succeed at once without items."""
        join = thread.join
        assert join is not None
        items, max_concurrency = join.items, join.max_concurrency
        kept = restore(thread, join)  # a redrive: the iterations that succeeded keep their outputs
        join.pending = [index for index in join.pending if index not in kept]
        if join.remaining == 0:
            self._succeed(run, thread, state)
            return
        width = len(items) if max_concurrency == 0 else min(max_concurrency, len(items))
        join.slots = [thread.hctx.fork() for _ in range(width)]
        join.free_slots = list(range(width))
        while join.free_slots and join.pending:
            self._launch(run, thread, state, join.free_slots.pop(0))

    # ---- iterations ---------------------------------------------------------------------------

    def _launch(self, run: Run, parent: Thread, state: MapState, slot: int) -> None:
        join = parent.join
        assert join is not None
        index = join.pending.pop(0)
        item = join.items[index]
        if state.distributed:
            self._start_child_execution(run, parent, state, slot, index, item)
            return
        child = run.new_thread(
            parent.id,
            (*parent.program, parent.state_name, 0),
            state.processor.start_at,
            item,
            join.slots[slot].fork(),
        )
        child.index, child.slot = index, slot
        resumed = resume_child(join, child)
        join.children.append(child.id)
        run.writer.add(child.hctx, "MapIterationStarted", run.now, self._iteration(parent, index))
        if not join.batched and not resumed:
            # a batch's items went through ItemSelector before batching; a resumed child keeps its input
            child.input = self.item_input(run, parent, state, join.effective_input, index, item)
        run.runnable.append(child.id)

    def _start_child_execution(
        self, run: Run, parent: Thread, state: MapState, slot: int, index: int, item: Any
    ) -> None:
        """A DISTRIBUTED iteration: an execution of its own, named after the map run
        (``...:execution:<machine>/<label>:<uuid>``), running the item processor on the item."""
        join = parent.join
        assert join is not None and join.map_run_arn is not None
        child_input = (
            item if join.batched else self.item_input(run, parent, state, join.effective_input, index, item)
        )
        run_id = run.new_id("child")
        prefix, _, rest = join.map_run_arn.partition(":mapRun:")
        machine_and_label = rest.rsplit(":", 1)[0]
        name, arn = child_execution(join.map_run_arn, run_id)
        join.runs[run_id] = [index, slot]
        run.state.children[run_id] = parent.id
        run.commands.append(
            StartChildExecution(
                run_id=run_id,
                execution_arn=arn,
                name=name,
                map_run_arn=join.map_run_arn,
                state_machine={"Id": f"{prefix}:stateMachine:{machine_and_label}", "Name": machine_and_label},
                definition=run.interpreter.child_definition((*parent.program, parent.state_name, 0)),
                input=child_input,
            )
        )

    def batches(self, run: Run, thread: Thread, state: MapState, value: Any, items: list[Any]) -> list[Any]:
        """``ItemBatcher``: the items grouped into ``{"BatchInput": ..., "Items": [...]}`` inputs, each at
        most ``MaxItemsPerBatch`` items and ``MaxInputBytesPerBatch`` bytes (a batch holds at least one)."""
        batcher: dict[str, Any] = state.item_batcher
        size = self._batcher_number(run, thread, state, batcher, "MaxItemsPerBatch", value)
        limit = self._batcher_number(run, thread, state, batcher, "MaxInputBytesPerBatch", value)
        batch_input = batcher.get("BatchInput")
        if batch_input is not None:
            if is_jsonata(run, state):
                batch_input = jsonata.evaluate_template(
                    batch_input, bindings(run, thread, state), "BatchInput"
                )
            else:
                batch_input = payload(run, thread, state, batch_input, value)
        head: dict[str, Any] = {} if batch_input is None else {"BatchInput": batch_input}
        overhead = len(dumps({**head, "Items": []}).encode())
        batches: list[dict[str, Any]] = []
        current: list[Any] = []
        used = overhead
        for item in items:
            cost = len(dumps(item).encode()) + (1 if current else 0)
            full = (size is not None and len(current) >= size) or (limit is not None and used + cost > limit)
            if current and full:
                batches.append({**head, "Items": current})
                current, used = [], overhead
                cost = len(dumps(item).encode())
            current.append(item)
            used += cost
        if current:
            batches.append({**head, "Items": current})
        return batches

    def _batcher_number(
        self, run: Run, thread: Thread, state: MapState, batcher: dict[str, Any], field: str, value: Any
    ) -> int | None:
        if f"{field}Path" in batcher:
            path = str(batcher[f"{field}Path"])
            number = self._number(run, thread, state, path, value, f"{field}Path", "integer")
        elif field in batcher:
            number = field_value(run, thread, state, batcher[field], f"ItemBatcher/{field}", "integer")
        else:
            return None
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 1:
            raise StatesError(RUNTIME, f"The {field} field must be a positive integer: {number}")
        return int(number)

    @staticmethod
    def item_input(run: Run, thread: Thread, state: MapState, value: Any, index: int, item: Any) -> Any:
        """An iteration's input: the item, or what ``ItemSelector`` (legacy ``Parameters``) makes of it."""
        selector = state.item_selector if state.item_selector is not None else state.parameters
        if selector is None:
            return item
        context = {**run.context(thread, state), "Map": {"Item": {"Index": index, "Value": item}}}
        if is_jsonata(run, state):
            env = bindings(run, thread, state, context=context)
            return jsonata.evaluate_template(selector, env, "ItemSelector")
        return payload(run, thread, state, selector, value, context)

    def on_child_succeeded(self, run: Run, parent: Thread, child: Thread, output: Any) -> None:
        join = parent.join
        assert join is not None and child.index is not None and child.slot is not None
        join.results[child.index] = output
        join.succeeded.append(child.index)
        run.writer.add(child.hctx, "MapIterationSucceeded", run.now, self._iteration(parent, child.index))
        join.children.remove(child.id)
        self._iteration_done(run, parent, child.slot, child.hctx)

    def on_child_failed(
        self, run: Run, parent: Thread, child: Thread, error: str | None, cause: str | None
    ) -> None:
        join = parent.join
        assert join is not None and child.index is not None and child.slot is not None
        run.writer.add(child.hctx, "MapIterationFailed", run.now, self._iteration(parent, child.index))
        join.children.remove(child.id)
        self._item_failed(run, parent, child.index, child.slot, child.hctx, error, cause, child)

    def on_child_execution_finished(self, run: Run, parent: Thread, event: ChildExecutionFinished) -> None:
        """A DISTRIBUTED iteration's execution ended."""
        join = parent.join
        assert join is not None
        index, slot = join.runs.pop(event.run_id)
        if event.status == "SUCCEEDED":
            join.results[index] = event.output
            join.succeeded.append(index)
            self._iteration_done(run, parent, slot, None)
            return
        error = event.error if event.status != "TIMED_OUT" else (event.error or "States.Timeout")
        self._item_failed(run, parent, index, slot, None, error, event.cause)

    def _item_failed(
        self,
        run: Run,
        parent: Thread,
        index: int,
        slot: int,
        hctx: HistoryContext | None,
        error: str | None,
        cause: str | None,
        child: Thread | None = None,
    ) -> None:
        join = parent.join
        assert join is not None
        join.failures += 1
        state: MapState = run.current_state(parent)  # type: ignore[assignment]
        if not self._tolerated(join):
            if hctx is not None:
                join.slots[slot].integrate(hctx)
            parent.hctx.integrate(join.slots[slot])
            remember(run, parent, join, child)
            run.abort_children(join)
            parent.join = None
            if state.distributed:
                run.writer.add(parent.hctx, "MapRunFailed", run.now)
                record_map_run(run, join, "FAILED")
            if join.tolerated_count is not None or join.tolerated_percentage is not None:
                error = EXCEEDED_TOLERATED_FAILURE_THRESHOLD
                cause = "The specified tolerance threshold was exceeded"
            run.state_failed(parent, state, error or "States.TaskFailed", cause, "MapStateFailed")
            run.runnable.append(parent.id)
            return
        join.results[index] = {"Error": error, "Cause": cause}
        self._iteration_done(run, parent, slot, hctx)

    def _iteration_done(self, run: Run, parent: Thread, slot_index: int, hctx: HistoryContext | None) -> None:
        """An iteration ended (``hctx``: an INLINE iteration's history context): launch the next item in
        its slot, or finish the state once every item is done."""
        join = parent.join
        assert join is not None
        join.remaining -= 1
        slot = join.slots[slot_index]
        if hctx is not None:
            slot.integrate(hctx)
        state: MapState = run.current_state(parent)  # type: ignore[assignment]
        if join.pending:
            if self._may_launch(join):
                run.guarded(parent, state, lambda: self._launch(run, parent, state, slot_index))
            else:  # UpdateMapRun lowered MaxConcurrency: the slot waits
                join.free_slots.append(slot_index)
            return
        if hctx is not None:
            slot.source = hctx.last
        parent.hctx.integrate(slot)
        if join.remaining == 0:
            self._succeed(run, parent, state)
            run.runnable.append(parent.id)

    def _succeed(self, run: Run, thread: Thread, state: MapState, result: Any = None) -> None:
        """Every item is done (``result``: where the ``ResultWriter`` exported them, when it has)."""
        join = thread.join
        assert join is not None
        if result is None and map_io.exports_results(state):
            map_io.request_write(run, thread, state, join)  # the map run ends once they are written
            return
        thread.join = None
        if state.distributed:
            run.writer.add(thread.hctx, "MapRunSucceeded", run.now)
            record_map_run(run, join, "SUCCEEDED")
        run.writer.add(thread.hctx, "MapStateSucceeded", run.now)
        if result is None:
            result = map_io.transformed(state, join.results) if state.distributed else join.results
        run.guarded(thread, state, lambda: finish_state(run, thread, state, result))

    @staticmethod
    def _tolerated(join: Join) -> bool:
        if join.tolerated_count is not None and join.failures <= join.tolerated_count:
            return True
        total = len(join.items)
        if join.tolerated_percentage is not None and total:
            return join.failures * 100.0 / total <= join.tolerated_percentage
        return False

    @staticmethod
    def _iteration(parent: Thread, index: int) -> dict[str, Any]:
        return {"index": index, "name": parent.state_name}

    # ---- the map run (DISTRIBUTED) --------------------------------------------------------------

    def on_map_run_updated(self, run: Run, parent: Thread, update: MapRunUpdated) -> None:
        """``UpdateMapRun``: new settings for the running map run. A higher (or no) ``MaxConcurrency``
        starts waiting iterations at once; a lower one lets running iterations end without successors
        until fewer run than it allows."""
        join = parent.join
        assert join is not None
        if update.max_concurrency is not None:
            join.max_concurrency = update.max_concurrency
        if update.tolerated_failure_count is not None:
            join.tolerated_count = update.tolerated_failure_count
        if update.tolerated_failure_percentage is not None:
            join.tolerated_percentage = update.tolerated_failure_percentage
        record_map_run(run, join, "RUNNING")
        state: MapState = run.current_state(parent)  # type: ignore[assignment]
        while parent.join is join and join.pending and self._may_launch(join):
            if join.free_slots:
                slot = join.free_slots.pop(0)
            else:
                join.slots.append(parent.hctx.fork())
                slot = len(join.slots) - 1
            run.guarded(parent, state, lambda slot=slot: self._launch(run, parent, state, slot))

    @staticmethod
    def _may_launch(join: Join) -> bool:
        """Whether another iteration may start now (``MaxConcurrency``; 0 is no limit)."""
        running = len(join.runs) + len(join.children)
        return join.max_concurrency == 0 or running < join.max_concurrency

    # ---- fields -------------------------------------------------------------------------------

    def items(self, run: Run, thread: Thread, state: MapState, value: Any) -> list[Any]:
        if is_jsonata(run, state):
            if state.items is None:
                if not isinstance(value, list):
                    raise QueryEvaluationError(f"Map state input must be an array but was: {dumps(value)}")
                return value
            if isinstance(state.items, list):
                listed: list[Any] = jsonata.evaluate_template(
                    state.items, bindings(run, thread, state), "Items"
                )
                return listed
            found = field_value(run, thread, state, state.items, "Items", "array")
            return found if isinstance(found, list) else []
        path = state.items_path or "$"
        try:
            items = read(run, thread, state, path, value)
        except PathNotFound as missing:
            raise StatesError(RUNTIME, f"Invalid path '{path}' : {missing.detail}") from None
        if not isinstance(items, list):
            raise StatesError(RUNTIME, f'Reference path "{path}" must point to array.', prefixed=False)
        return items

    def _number(
        self, run: Run, thread: Thread, state: MapState, path: str, value: Any, field: str, kind: str
    ) -> Any:
        try:
            found = read(run, thread, state, path, value)
        except PathNotFound as missing:
            raise StatesError(RUNTIME, f"Invalid path '{path}' : {missing.detail}") from None
        if isinstance(found, str):
            found = _numeric_text(found)  # observed: a numeric string is accepted
        valid = isinstance(found, int | float) and not isinstance(found, bool)
        if kind == "integer":
            valid = valid and float(found).is_integer()
        if not valid:
            raise StatesError(
                RUNTIME,
                f"The {field} field refers to value {_quoted(found)} which is not a valid {kind}: {path}",
            )
        return int(found) if kind == "integer" else float(found)

    def max_concurrency_of(self, run: Run, thread: Thread, state: MapState, value: Any) -> int:
        if state.max_concurrency_path is not None:
            number = self._number(
                run, thread, state, state.max_concurrency_path, value, "MaxConcurrencyPath", "integer"
            )
            return max(int(number), 0)
        return int(field_value(run, thread, state, state.max_concurrency, "MaxConcurrency", "integer") or 0)

    def tolerance(
        self, run: Run, thread: Thread, state: MapState, value: Any
    ) -> tuple[int | None, float | None]:
        count: Any = field_value(
            run, thread, state, state.tolerated_failure_count, "ToleratedFailureCount", "integer"
        )
        if state.tolerated_failure_count_path is not None:
            count = self._number(
                run,
                thread,
                state,
                state.tolerated_failure_count_path,
                value,
                "ToleratedFailureCountPath",
                "integer",
            )
        if count is not None and count < 0:
            raise StatesError(RUNTIME, "ToleratedFailureCount cannot be negative.")
        percentage: Any = field_value(
            run, thread, state, state.tolerated_failure_percentage, "ToleratedFailurePercentage", "number"
        )
        if state.tolerated_failure_percentage_path is not None:
            percentage = self._number(
                run,
                thread,
                state,
                state.tolerated_failure_percentage_path,
                value,
                "ToleratedFailurePercentagePath",
                "float",
            )
        if percentage is not None and not 0 <= percentage <= 100:
            raise StatesError(RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.")
        return (None if count is None else int(count)), (None if percentage is None else float(percentage))

    @staticmethod
    def _map_run_arn(run: Run, thread: Thread, state: MapState) -> str:
        execution_arn: str = run.state.execution["Id"]
        prefix, _, rest = execution_arn.partition(":execution:")
        machine_name = rest.split(":", 1)[0]
        seed = f"{execution_arn}/{thread.id}/{thread.entered_event}"
        label = state.label or str(uuid.uuid5(uuid.NAMESPACE_URL, seed + "/label"))
        return f"{prefix}:mapRun:{machine_name}/{label}:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def record_map_run(run: Run, join: Join, status: str) -> None:
    """Have the runtime keep the map run's record as it stands now (``RecordMapRun``)."""
    assert join.map_run_arn is not None
    prefix, _, rest = join.map_run_arn.partition(":mapRun:")
    machine_and_label = rest.rsplit(":", 1)[0]
    run.commands.append(
        RecordMapRun(
            map_run_arn=join.map_run_arn,
            execution_arn=run.state.execution["Id"],
            state_machine_arn=f"{prefix}:stateMachine:{machine_and_label}",
            status=status,
            start_date=join.map_run_started,
            stop_date=None if status == "RUNNING" else run.now,
            max_concurrency=join.max_concurrency,
            tolerated_failure_count=join.tolerated_count,
            tolerated_failure_percentage=join.tolerated_percentage,
            item_count=join.item_count,
            execution_count=len(join.items),
            batched=join.batched,
        )
    )
