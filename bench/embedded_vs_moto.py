"""Benchmark: the embedded engine against moto's Step Functions interpreter, in one process.

Each workload's definition runs on both engines; per workload the script prints the median wall time of
an execution, ms per state transition (``*StateEntered`` events in that engine's own history) and the
ratio moto / ours. Both engines must finish with the same status and output and enter the same number
of states, otherwise the row is flagged as a MISMATCH (the comparison would not be like for like).

    python bench/embedded_vs_moto.py [--repeat 5] [--only map] [--profile choice-loop]

moto runs an execution in a background thread, so its time is measured from ``start_execution`` until
``describe_execution`` (polled every ``--poll-ms``) no longer says RUNNING. Ours is measured from the
service's ``start_execution`` until ``runtime.wait`` returns (an event, no polling).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

ROLE_ARN = "arn:aws:iam::123456789012:role/bench"
RUN_TIMEOUT_SECONDS = 600.0


# ---- workloads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    """One state machine and its input."""

    name: str
    description: str
    definition: dict[str, Any]
    input: Any


def pass_chain(length: int, prefix: str = "P") -> dict[str, Any]:
    """``States`` of ``length`` Pass states, each leading to the next, the last one ending."""
    states: dict[str, Any] = {}
    for index in range(length):
        state: dict[str, Any] = {"Type": "Pass"}
        if index + 1 < length:
            state["Next"] = f"{prefix}{index + 1}"
        else:
            state["End"] = True
        states[f"{prefix}{index}"] = state
    return states


def workloads() -> list[Workload]:
    """The four workloads of docs/benchmarks.md."""
    chain = {"StartAt": "P0", "States": pass_chain(200)}
    map_items = {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Item",
                    "States": {"Item": {"Type": "Pass", "End": True}},
                },
                "End": True,
            }
        },
    }
    parallel = {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "B0", "States": pass_chain(3, "B")} for _ in range(10)],
                "End": True,
            }
        },
    }
    choice_loop = {
        "StartAt": "Increment",
        "States": {
            "Increment": {
                "Type": "Pass",
                "Parameters": {"i.$": "States.MathAdd($.i, 1)"},
                "Next": "Check",
            },
            "Check": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.i", "NumericLessThan": 200, "Next": "Increment"}],
                "Default": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    return [
        Workload("pass-chain", "200 Pass states in a chain", chain, {"a": 1}),
        Workload("map", "inline Map over 1,000 items (Pass)", map_items, {"items": list(range(1000))}),
        Workload("parallel", "Parallel of 10 branches x 3 Pass", parallel, {"a": 1}),
        Workload("choice-loop", "200 rounds Pass(MathAdd) + Choice", choice_loop, {"i": 0}),
    ]


# ---- one run on an engine -------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """What one execution took and produced."""

    seconds: float
    status: str
    output: Any
    transitions: int
    events: int


def count_transitions(events: list[dict[str, Any]]) -> int:
    return sum(1 for event in events if str(event["type"]).endswith("StateEntered"))


class MotoEngine:
    """moto's Step Functions parser-interpreter, driven through boto3 inside ``mock_aws``."""

    name = "moto"

    def __init__(self, poll_seconds: float) -> None:
        import boto3

        self.poll_seconds = poll_seconds
        self.client = boto3.client("stepfunctions", region_name="us-east-1")

    def run(self, workload: Workload) -> Run:
        # A fresh machine per run, deleted afterwards: moto deep-copies the state machine on every
        # StartExecution, and once another execution exists that copy fails ("cannot pickle RLock").
        machine_arn = self.client.create_state_machine(
            name=f"bench-{uuid.uuid4().hex[:12]}",
            definition=json.dumps(workload.definition),
            roleArn=ROLE_ARN,
        )["stateMachineArn"]
        try:
            started = time.perf_counter()
            execution_arn = self.client.start_execution(
                stateMachineArn=machine_arn, name=uuid.uuid4().hex, input=json.dumps(workload.input)
            )["executionArn"]
            while True:
                described = self.client.describe_execution(executionArn=execution_arn)
                if described["status"] != "RUNNING":
                    break
                if time.perf_counter() - started > RUN_TIMEOUT_SECONDS:
                    raise TimeoutError(f"moto did not finish {workload.name} in {RUN_TIMEOUT_SECONDS}s")
                time.sleep(self.poll_seconds)
            seconds = time.perf_counter() - started
            paginator = self.client.get_paginator("get_execution_history")
            events = [
                event for page in paginator.paginate(executionArn=execution_arn) for event in page["events"]
            ]
        finally:
            self.client.delete_state_machine(stateMachineArn=machine_arn)
        output = json.loads(described["output"]) if "output" in described else None
        return Run(seconds, described["status"], output, count_transitions(events), len(events))

    def close(self) -> None:
        self.client.close()


class EmbeddedEngine:
    """Our embedded runtime behind the service layer: memory store, time-skipping clock."""

    name = "ours"

    def __init__(self) -> None:
        from orchestrator.runtime.embedded import EmbeddedRuntime
        from orchestrator.service import StepFunctionsService
        from orchestrator.store.memory import MemoryStore
        from workers.registry import TaskRegistry
        from workers.resources import ResourceResolver

        self.store = MemoryStore()
        resolver = ResourceResolver(TaskRegistry())
        self.runtime = EmbeddedRuntime(self.store, resolver, time_skipping=True)
        self.service = StepFunctionsService(self.store, self.runtime, resolver)

    def run(self, workload: Workload) -> Run:
        machine_arn = self.service.create_state_machine(
            {
                "name": f"bench-{uuid.uuid4().hex[:12]}",
                "definition": json.dumps(workload.definition),
                "roleArn": ROLE_ARN,
            }
        )["stateMachineArn"]
        started = time.perf_counter()
        execution_arn = self.service.start_execution(
            {"stateMachineArn": machine_arn, "name": uuid.uuid4().hex, "input": json.dumps(workload.input)}
        )["executionArn"]
        record = self.runtime.wait(execution_arn, timeout=RUN_TIMEOUT_SECONDS)
        seconds = time.perf_counter() - started
        if record.status == "RUNNING":
            raise TimeoutError(f"ours did not finish {workload.name} in {RUN_TIMEOUT_SECONDS}s")
        events = self.store.history(execution_arn)
        output = json.loads(record.output) if record.output is not None else None
        if record.status != "SUCCEEDED":
            output = {"Error": record.error, "Cause": record.cause}
        return Run(seconds, record.status, output, count_transitions(events), len(events))

    def close(self) -> None:
        self.service.close()


@contextmanager
def moto_engine(poll_seconds: float) -> Iterator[MotoEngine]:
    from moto import mock_aws

    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        engine = MotoEngine(poll_seconds)
        try:
            yield engine
        finally:
            engine.close()


@contextmanager
def embedded_engine() -> Iterator[EmbeddedEngine]:
    engine = EmbeddedEngine()
    try:
        yield engine
    finally:
        engine.close()


# ---- measuring and reporting ----------------------------------------------------------------------


@dataclass
class Measured:
    """Median of the timed runs of one workload on one engine (``error`` when it could not run)."""

    median_seconds: float = 0.0
    last: Run | None = None
    error: str | None = None

    def ms_per_transition(self) -> float:
        assert self.last is not None
        return 1000.0 * self.median_seconds / max(self.last.transitions, 1)


def measure(run: Callable[[Workload], Run], workload: Workload, repeat: int) -> Measured:
    """One warm-up run, then ``repeat`` timed runs; the median wall time."""
    try:
        run(workload)
        runs = [run(workload) for _ in range(repeat)]
    except Exception as exc:
        return Measured(error=f"{type(exc).__name__}: {exc}")
    return Measured(statistics.median(r.seconds for r in runs), runs[-1])


def mismatch(moto: Measured, ours: Measured) -> str | None:
    """Why the two engines' results differ, or None when they agree."""
    if moto.last is None or ours.last is None:
        return None
    a, b = moto.last, ours.last
    if a.status != b.status:
        return f"status moto={a.status} ours={b.status}"
    if a.output != b.output:
        return f"output moto={_short(a.output)} ours={_short(b.output)}"
    if a.transitions != b.transitions:
        return f"state transitions moto={a.transitions} ours={b.transitions}"
    return None


def _short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else text[:limit] + "..."


COLUMNS = ("workload", "transitions", "moto ms", "ours ms", "moto ms/tr", "ours ms/tr", "moto/ours")


def table_row(workload: Workload, moto: Measured, ours: Measured) -> list[str]:
    """One results row: the medians, ms per transition and the ratio (``ERROR`` where a run failed)."""
    done = ours.last or moto.last
    cells = [workload.name, str(done.transitions if done else "-")]
    cells += [f"{1000 * m.median_seconds:.1f}" if m.error is None else "ERROR" for m in (moto, ours)]
    cells += [f"{m.ms_per_transition():.3f}" if m.error is None else "-" for m in (moto, ours)]
    failed = moto.error is not None or ours.error is not None
    cells.append("-" if failed else f"{moto.median_seconds / ours.median_seconds:.0f}x")
    return cells


def print_table(rows: list[list[str]], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(COLUMNS) - 1)) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]
    line = "  ".join(
        c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(COLUMNS, widths, strict=True))
    )
    print(line)
    print("-" * len(line))
    for row in rows:
        print(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def problems_of(workload: Workload, moto: Measured, ours: Measured) -> list[str]:
    """Failed runs and disagreements between the engines, one line each."""
    found = [
        f"{workload.name}: {engine} failed: {m.error}"
        for engine, m in (("moto", moto), ("ours", ours))
        if m.error
    ]
    why = mismatch(moto, ours)
    if why is not None:
        found.append(f"{workload.name}: MISMATCH {why}")
    return found


def profile_ours(workload: Workload, repeat: int, top: int) -> None:
    """cProfile ``repeat`` runs of one workload on our engine and print the top functions."""
    with embedded_engine() as engine:
        engine.run(workload)
        profiler = cProfile.Profile()
        # The work happens on the runtime's dispatcher thread, one ``_apply`` per event: profile there.
        original_apply = engine.runtime._apply

        def profiled_apply(*args: Any) -> None:
            profiler.enable()
            try:
                original_apply(*args)
            finally:
                profiler.disable()

        engine.runtime._apply = profiled_apply  # type: ignore[method-assign,assignment]
        for _ in range(repeat):
            engine.run(workload)
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(stream.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per workload (after 1 warm-up)")
    parser.add_argument("--only", action="append", help="run only this workload (repeatable)")
    parser.add_argument("--poll-ms", type=float, default=10.0, help="moto describe_execution poll interval")
    parser.add_argument("--profile", metavar="WORKLOAD", help="cProfile our engine on one workload and exit")
    parser.add_argument("--markdown", action="store_true", help="print the results as a Markdown table")
    parser.add_argument("--top", type=int, default=25, help="rows of profile output")
    args = parser.parse_args(argv)

    selected = [w for w in workloads() if not args.only or w.name in args.only]
    if not selected:
        parser.error(f"no workload named {args.only}; known: {[w.name for w in workloads()]}")
    if args.profile:
        profile_ours(next(w for w in workloads() if w.name == args.profile), args.repeat, args.top)
        return 0

    print(f"Python {sys.version.split()[0]}; median of {args.repeat} runs after 1 warm-up", flush=True)
    moto_results: dict[str, Measured] = {}
    with moto_engine(args.poll_ms / 1000.0) as moto:
        for workload in selected:
            print(f"  moto: {workload.name} ...", flush=True)
            moto_results[workload.name] = measure(moto.run, workload, args.repeat)
    ours_results: dict[str, Measured] = {}
    with embedded_engine() as ours:
        for workload in selected:
            print(f"  ours: {workload.name} ...", flush=True)
            ours_results[workload.name] = measure(ours.run, workload, args.repeat)
    print()
    print_table([table_row(w, moto_results[w.name], ours_results[w.name]) for w in selected], args.markdown)
    problems = [p for w in selected for p in problems_of(w, moto_results[w.name], ours_results[w.name])]
    for problem in problems:
        print(f"!!! {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
