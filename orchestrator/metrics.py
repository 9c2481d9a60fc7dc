"""Prometheus metrics of every sfn process: the one module that defines them (names: issue 6).

They mirror what AWS publishes for Step Functions (ExecutionsStarted, ExecutionTime, LambdaFunctions*,
ServiceIntegrations*, Activities*...) under Prometheus names. Counting happens where the truth is:

* executions, state transitions and tasks are counted from the history events a commit wrote
  (:func:`record_committed`, called by the embedded runtime and the coordinator after a successful,
  version-checked commit, so each event is counted once however many processes run);
* a task's run time and queue wait by the worker that ran it (:func:`observe_task_run`);
* queue depths, due timers and waiting activity tasks are read from Redis on each scrape
  (:class:`RedisCollector`).

Processes serve them on ``GET /metrics``: the API server on its own port, ``sfn coordinator`` and
``sfn worker`` on ``--metrics-port`` (:func:`serve_metrics`, which also answers ``/healthz`` and
``/readyz``). A prefork worker runs prometheus-client's multiprocess mode: ``PROMETHEUS_MULTIPROC_DIR`` is
set before this module is imported and :func:`exposition` then merges every process's files
(docs/operations.md, "Metrics", lists the limits).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import prometheus_client
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import multiprocess as _multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric

log = logging.getLogger(__name__)

prometheus_client.disable_created_metrics()  # type: ignore[no-untyped-call]  # no ``*_created`` series

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNKNOWN = "unknown"

_DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400)
_TASK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600)
_FAST_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)

# ---- executions ------------------------------------------------------------------------------

EXECUTIONS_STARTED = Counter("sfn_executions_started_total", "Executions started.", ["state_machine"])
EXECUTIONS_SUCCEEDED = Counter("sfn_executions_succeeded_total", "Executions succeeded.", ["state_machine"])
EXECUTIONS_FAILED = Counter("sfn_executions_failed_total", "Executions failed.", ["state_machine"])
EXECUTIONS_ABORTED = Counter("sfn_executions_aborted_total", "Executions aborted.", ["state_machine"])
EXECUTIONS_TIMED_OUT = Counter("sfn_executions_timed_out_total", "Executions timed out.", ["state_machine"])
EXECUTIONS_THROTTLED = Counter(
    "sfn_executions_throttled_total", "StartExecution calls refused by throttling.", ["state_machine"]
)
EXECUTION_DURATION = Histogram(
    "sfn_execution_duration_seconds",
    "From an execution's start to its end.",
    ["state_machine", "status"],
    buckets=_DURATION_BUCKETS,
)
STATE_TRANSITIONS = Counter("sfn_state_transitions_total", "States entered.", ["state_machine", "state_type"])

# ---- tasks -----------------------------------------------------------------------------------

TASKS_SCHEDULED = Counter("sfn_tasks_scheduled_total", "Tasks scheduled (retries too).", ["resource"])
TASKS_STARTED = Counter("sfn_tasks_started_total", "Tasks started.", ["resource"])
TASKS_SUCCEEDED = Counter("sfn_tasks_succeeded_total", "Tasks succeeded.", ["resource"])
TASKS_FAILED = Counter("sfn_tasks_failed_total", "Tasks failed (or failed to start).", ["resource"])
TASKS_TIMED_OUT = Counter("sfn_tasks_timed_out_total", "Tasks timed out.", ["resource"])
TASKS_RETRIED = Counter("sfn_tasks_retried_total", "Tasks scheduled again by a Retry.", ["resource"])
TASK_RUN = Histogram(
    "sfn_task_run_seconds",
    "From a worker starting a task to its outcome.",
    ["resource"],
    buckets=_TASK_BUCKETS,
)
TASK_QUEUE_WAIT = Histogram(
    "sfn_task_queue_wait_seconds", "From a task's dispatch to a worker starting it.", ["queue"],
    buckets=_TASK_BUCKETS,
)  # fmt: skip

# ---- callbacks and activities ------------------------------------------------------------------

CALLBACKS = Counter("sfn_callbacks_total", "SendTaskSuccess/Failure/Heartbeat calls.", ["outcome"])
ACTIVITY_TASKS_SCHEDULED = Counter(
    "sfn_activity_tasks_scheduled_total", "Activity tasks queued for workers.", ["activity"]
)
ACTIVITY_TASKS_STARTED = Counter(
    "sfn_activity_tasks_started_total", "Activity tasks handed out by GetActivityTask.", ["activity"]
)

# ---- runtime ---------------------------------------------------------------------------------

COORDINATOR_LEASES = Gauge(
    "sfn_coordinator_leases_held",
    "Executions leased by a coordinator (advancing or cooling down).",
    ["coordinator"],
    multiprocess_mode="livesum",  # one owner per process; a dead process's leases are gone with it
)
COORDINATOR_ROUNDS = Counter("sfn_coordinator_rounds_total", "Rounds on an execution.", ["coordinator"])
TIMER_LAG = Histogram(
    "sfn_timer_lag_seconds", "How late a timer fired after its due time.", buckets=_TASK_BUCKETS
)
REDIS_ROUNDTRIP = Histogram(
    "sfn_redis_roundtrip_seconds", "Duration of a store operation.", ["operation"], buckets=_FAST_BUCKETS
)
API_REQUESTS = Counter("sfn_api_requests_total", "API requests answered.", ["action", "code"])
API_REQUEST_SECONDS = Histogram(
    "sfn_api_request_seconds", "Time to answer an API request.", ["action"], buckets=_TASK_BUCKETS
)
# Read on scrape by RedisCollector: sfn_queue_depth [queue], sfn_timers_due, sfn_activity_tasks_waiting
# [activity] (gauges).

_EXECUTION_COUNTERS = {
    "ExecutionStarted": EXECUTIONS_STARTED,
    "ExecutionSucceeded": EXECUTIONS_SUCCEEDED,
    "ExecutionFailed": EXECUTIONS_FAILED,
    "ExecutionAborted": EXECUTIONS_ABORTED,
    "ExecutionTimedOut": EXECUTIONS_TIMED_OUT,
}
_TASK_KINDS = ("LambdaFunction", "Activity", "Task")
_TASK_COUNTERS = {
    "Scheduled": TASKS_SCHEDULED,
    "Started": TASKS_STARTED,
    "Succeeded": TASKS_SUCCEEDED,
    "Failed": TASKS_FAILED,
    "StartFailed": TASKS_FAILED,
    "SubmitFailed": TASKS_FAILED,
    "ScheduleFailed": TASKS_FAILED,
    "TimedOut": TASKS_TIMED_OUT,
}


_recording = True


def set_recording(on: bool) -> None:
    """Record (the default) or not: a coordinator or worker started without ``--metrics-port`` has no
    way to export what it would count, so it skips the work on its hot path."""
    global _recording
    _recording = on


def recording() -> bool:
    return _recording


def state_machine_of(execution_arn: str) -> str:
    """The state machine name in an execution ARN (``...:execution:<machine>:<name>``, ``express`` too;
    a DISTRIBUTED Map child's machine is ``<machine>/<map run label>``)."""
    parts = execution_arn.split(":")
    return parts[6] if len(parts) >= 8 else UNKNOWN


def resource_label(resource: str) -> str:
    """A Task's resource as a bounded label: a Lambda function's name, an integration ARN without region
    and account (``arn:aws:states:::lambda:invoke``), ``arn:aws:states:::activity:<name>``."""
    parts = resource.split(":")
    if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
        return parts[6]
    if len(parts) >= 6 and parts[0] == "arn" and parts[2] == "states":
        return "arn:aws:states:::" + ":".join(parts[5:])
    return UNKNOWN


def _own_resource(event: dict[str, Any]) -> str | None:
    """The resource label an event names itself (scheduled and service integration events do)."""
    details = next((v for k, v in event.items() if k.endswith("EventDetails") and isinstance(v, dict)), {})
    resource = details.get("resource")
    if not isinstance(resource, str):
        return None
    resource_type = details.get("resourceType")
    if isinstance(resource_type, str):  # a service integration: resourceType "lambda", resource "invoke"
        return f"arn:aws:states:::{resource_type}:{resource}"
    return resource_label(resource)


class _Resources:
    """The resource of task events that do not name it (``LambdaFunctionSucceeded``, ``ActivityStarted``
    ...): found by following ``previousEventId`` to an event of this commit, or of an earlier commit made
    by this process (a bounded memo); else ``unknown``."""

    def __init__(self, size: int = 50_000) -> None:
        self._size = size
        self._memo: OrderedDict[tuple[str, int], str] = OrderedDict()
        self._lock = threading.Lock()
        self.hint = threading.local()  # the resource of the task whose outcome this thread applies

    @contextmanager
    def waiting_on(self, arn: str, waiting: dict[int, str]) -> Iterator[None]:
        """Resolve the events of one commit knowing the resources of the tasks that ran before it."""
        for event_id, resource in waiting.items():
            with self._lock:
                self._memo[(arn, event_id)] = resource_label(resource)
        yield

    def resolve(self, arn: str, event: dict[str, Any]) -> str:
        label = _own_resource(event)
        with self._lock:
            if label is None:
                hinted = getattr(self.hint, "resource", None)
                label = self._memo.get((arn, event.get("previousEventId", 0))) or hinted or UNKNOWN
            self._memo[(arn, event.get("id", 0))] = label
            while len(self._memo) > self._size:
                self._memo.popitem(last=False)
        return label


_resources = _Resources()


def record_committed(
    execution_arn: str,
    events: Iterable[dict[str, Any]],
    finished: Any = None,
    waiting: dict[int, str] | None = None,
) -> None:
    """Count the history events of one successful commit (and the execution's duration when
    ``finished``, its final :class:`~orchestrator.store.records.ExecutionRecord`). ``waiting``: the
    resources of the tasks that ran before the step, by the id of their last event (what an outcome
    event's ``previousEventId`` names). Never raises."""
    if not _recording:
        return
    try:
        with _resources.waiting_on(execution_arn, waiting or {}):
            _count(execution_arn, list(events), finished)
    except Exception:  # metrics must never break a commit's aftermath
        log.exception("could not count the events of %s", execution_arn)


def _count(arn: str, events: list[dict[str, Any]], finished: Any) -> None:
    machine = state_machine_of(arn)
    types = {event.get("id"): str(event.get("type", "")) for event in events}
    for event in events:
        kind = str(event.get("type", ""))
        if kind in _EXECUTION_COUNTERS:
            _EXECUTION_COUNTERS[kind].labels(machine).inc()
        elif kind.endswith("StateEntered"):
            STATE_TRANSITIONS.labels(machine, kind.removesuffix("StateEntered")).inc()
        else:
            _count_task_event(arn, event, kind, types)
    if finished is not None and finished.stop_date is not None:
        seconds = (finished.stop_date - finished.start_date).total_seconds()
        EXECUTION_DURATION.labels(machine, finished.status).observe(max(seconds, 0.0))


def _count_task_event(arn: str, event: dict[str, Any], kind: str, types: dict[Any, str]) -> None:
    prefix = next((p for p in _TASK_KINDS if kind.startswith(p)), None)
    counter = None if prefix is None else _TASK_COUNTERS.get(kind.removeprefix(prefix))
    if counter is None:
        return
    resource = _resources.resolve(arn, event)
    counter.labels(resource).inc()
    if counter is TASKS_SCHEDULED:
        previous = types.get(event.get("previousEventId"))
        # A first attempt follows its state's *StateEntered (or a redrive) in the same step; a retry
        # follows the failed attempt, or fires from a timer in a later step.
        if previous is None or previous.endswith(("Failed", "TimedOut")):
            TASKS_RETRIED.labels(resource).inc()
        if prefix == "Activity":
            ACTIVITY_TASKS_SCHEDULED.labels(activity_name(resource)).inc()


@contextmanager
def applying_outcome_of(resource: str) -> Iterator[None]:
    """While a worker applies its task's outcome: the resource of task events whose earlier events
    another process committed (their ``previousEventId`` is not in this process's memo)."""
    _resources.hint.resource = resource_label(resource)
    try:
        yield
    finally:
        _resources.hint.resource = None


def activity_name(resource: str) -> str:
    """An activity's name from its ARN (or from its resource label)."""
    return resource.rsplit(":", 1)[-1] if ":activity:" in resource else UNKNOWN


def observe_task_run(resource: str, seconds: float) -> None:
    if not _recording:
        return
    TASK_RUN.labels(resource_label(resource)).observe(max(seconds, 0.0))


def observe_queue_wait(queue: str, seconds: float) -> None:
    if not _recording:
        return
    TASK_QUEUE_WAIT.labels(queue).observe(max(seconds, 0.0))


def record_callback(outcome: str) -> None:
    """``outcome``: success, failure, heartbeat or refused (InvalidToken, TaskTimedOut...)."""
    CALLBACKS.labels(outcome).inc()


def record_activity_started(activity_arn: str) -> None:
    ACTIVITY_TASKS_STARTED.labels(activity_name(activity_arn)).inc()


def record_throttled(state_machine_arn: str) -> None:
    EXECUTIONS_THROTTLED.labels(state_machine_arn.rsplit(":", 1)[-1]).inc()


def record_api_request(action: str, code: int, seconds: float) -> None:
    API_REQUESTS.labels(action, str(code)).inc()
    API_REQUEST_SECONDS.labels(action).observe(max(seconds, 0.0))


def observe_timer_lag(seconds: float) -> None:
    if not _recording:
        return
    TIMER_LAG.observe(max(seconds, 0.0))


def set_leases_held(coordinator: str, count: int) -> None:
    if not _recording:
        return
    COORDINATOR_LEASES.labels(coordinator).set(count)


def record_round(coordinator: str) -> None:
    if not _recording:
        return
    COORDINATOR_ROUNDS.labels(coordinator).inc()


@contextmanager
def store_operation(operation: str) -> Iterator[None]:
    """Time one store call (a Redis round trip or a Lua script) as ``sfn_redis_roundtrip_seconds``."""
    if not _recording:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        REDIS_ROUNDTRIP.labels(operation).observe(time.perf_counter() - started)


def forget_process(pid: int) -> None:
    """A prefork pool process exited: drop its live gauges (multiprocess mode only)."""
    directory = os.environ.get(MULTIPROC_ENV)
    if directory:
        _multiprocess.mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]


# ---- reading Redis on scrape -----------------------------------------------------------------


class RedisCollector:
    """Gauges read from Redis when scraped: each Celery queue's length (``sfn_queue_depth``), timers due
    and not fired (``sfn_timers_due``), each activity's waiting tasks (``sfn_activity_tasks_waiting``)."""

    def __init__(self, redis_url: str, queues: Iterable[str], prefix: str = "sfn") -> None:
        import redis

        from orchestrator.store.keys import Keys

        self.queues = sorted(set(queues))
        self.keys = Keys(prefix)
        self._redis = redis.Redis.from_url(redis_url, decode_responses=True, socket_timeout=2.0)

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily("sfn_queue_depth", "Messages waiting on a Celery queue.", labels=["queue"])
        due = GaugeMetricFamily("sfn_timers_due", "Timers due now and not yet fired.")
        waiting = GaugeMetricFamily(
            "sfn_activity_tasks_waiting", "Activity tasks waiting for a worker.", labels=["activity"]
        )
        try:
            with store_operation("scrape"):
                pipe = self._redis.pipeline(transaction=False)
                for queue in self.queues:
                    pipe.llen(queue)
                pipe.zcount(self.keys.timers, "-inf", time.time())
                pipe.hkeys(self.keys.activities)
                *lengths, due_count, activities = pipe.execute()
                pipe = self._redis.pipeline(transaction=False)
                for arn in activities:
                    pipe.llen(self.keys.activity_tasks(arn))
                tasks = pipe.execute() if activities else []
        except Exception:  # an unreachable Redis shows as missing series (and /readyz failing)
            log.warning("metrics: could not read queue depths from Redis", exc_info=True)
            return
        for queue, length in zip(self.queues, lengths, strict=True):
            depth.add_metric([queue], float(length))
        due.add_metric([], float(due_count))
        for arn, count in zip(activities, tasks, strict=True):
            waiting.add_metric([activity_name(arn)], float(count))
        yield from (depth, due, waiting)

    def ping(self) -> bool:
        """Whether Redis answers (``/readyz``)."""
        try:
            return bool(self._redis.ping())
        except Exception:
            return False


# ---- serving ---------------------------------------------------------------------------------


class _Collected:
    """What ``generate_latest`` reads: any objects with ``collect()``."""

    def __init__(self, sources: Iterable[Any]) -> None:
        self.sources = list(sources)

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()


def exposition(collectors: Iterable[Any] = ()) -> tuple[bytes, str]:
    """This process's metrics (every pool process's in multiprocess mode) and ``collectors``' as the
    Prometheus text format, with its content type."""
    directory = os.environ.get(MULTIPROC_ENV)
    if directory:
        registry = CollectorRegistry()
        _multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
        sources: list[Any] = [registry]
    else:
        sources = [REGISTRY]
    return prometheus_client.generate_latest(_Collected([*sources, *collectors])), CONTENT_TYPE_LATEST


def serve_metrics(
    port: int,
    host: str = "0.0.0.0",
    *,
    collectors: Iterable[Any] = (),
    ready: Callable[[], bool] = lambda: True,
) -> ThreadingHTTPServer:
    """Serve ``/metrics``, ``/healthz`` (the process is alive) and ``/readyz`` (``ready()``: Redis
    answers) on a daemon thread; ``shutdown()`` the returned server to stop."""
    sources = list(collectors)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                body, content_type = exposition(sources)
                self._answer(200, body, content_type)
            elif path == "/healthz":
                self._answer(200, b"ok\n")
            elif path == "/readyz":
                ok = ready()
                self._answer(200 if ok else 503, b"ok\n" if ok else b"redis unreachable\n")
            else:
                self._answer(404, b"not found\n")

        def _answer(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("metrics: " + format, *args)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="sfn-metrics", daemon=True).start()
    return server
