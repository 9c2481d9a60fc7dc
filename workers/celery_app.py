"""The Celery worker app: Task states run here, on horizontally scaled worker processes.

``sfn worker --redis URL`` starts a worker of this app. A coordinator sends ``sfn.run_task`` with the
execution ARN and the ``RunTask`` command (the interpreter's wire format); the worker runs the resource
(a registered Python function or a Lambda function) and applies the outcome to the execution (or posts
it to the execution's inbox in Redis). When the task failed and its state retries it after a short
interval, the worker re-dispatches it with Celery's own ``Task.retry(countdown=interval)``: the retried
message fires the retry's timer, which schedules the next attempt. ``sfn.fire_timer`` delivers other short
timers (a Wait) through Celery's delayed messages. The durable timer set in Redis holds every timer too,
and whichever delivery claims it first fires it.

Delivery is at least once: ``acks_late`` with ``reject_on_worker_lost`` redelivers the task of a worker
that dies, and the interpreter applies an outcome for a task id once. Celery's own ``autoretry_for``
back-off is never used: ASL's ``Retry`` (per-retrier counters, ``BackoffRate``, ``MaxDelaySeconds``,
``FULL`` jitter) is decided by the interpreter.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from celery import Celery
from celery.signals import before_task_publish, worker_process_shutdown
from redis.exceptions import RedisError

from orchestrator import metrics
from orchestrator.engine.codec import decode_command, encode_event
from orchestrator.engine.model import RunTask, TaskFailed, TaskHeartbeat, TimerFired
from orchestrator.logs import log_context, task_context, task_outcome
from orchestrator.transport.base import run_command
from orchestrator.transport.celery import DEFAULT_QUEUE

log = logging.getLogger(__name__)

POST_PATIENCE_SECONDS = 600.0
SENT_AT_HEADER = "sfn_sent_at"  # when a task was dispatched (epoch seconds): its queue wait


@before_task_publish.connect(dispatch_uid="sfn-sent-at")  # type: ignore[untyped-decorator]
def _stamp_sent_at(sender: str | None = None, headers: dict[str, Any] | None = None, **_: Any) -> None:
    """Stamp ``sfn.run_task`` messages with their dispatch time (``sfn_task_queue_wait_seconds``)."""
    if sender == "sfn.run_task" and headers is not None:
        headers[SENT_AT_HEADER] = time.time()


@worker_process_shutdown.connect(dispatch_uid="sfn-metrics-process-dead")  # type: ignore[untyped-decorator]
def _forget_pool_process(pid: int | None = None, **_: Any) -> None:
    """A prefork pool process exits: drop its live gauges (prometheus-client's multiprocess mode)."""
    if pid is not None:
        metrics.forget_process(pid)


class WorkerContext:
    """What a worker process needs, built lazily once per process (after a prefork pool forks)."""

    def __init__(
        self, redis_url: str, task_modules: Iterable[str] = (), lambda_endpoint: str | None = None
    ) -> None:
        self.redis_url = redis_url
        self.task_modules = tuple(task_modules)
        self.lambda_endpoint = lambda_endpoint
        self._lock = threading.Lock()
        self._store: Any = None
        self._resolver: Any = None

    @property
    def store(self) -> Any:
        with self._lock:
            if self._store is None:
                from orchestrator.store.redis import RedisStore

                self._store = RedisStore(self.redis_url)
            return self._store

    def post(self, execution_arn: str, event: dict[str, Any]) -> None:
        """Post an outcome, waiting out a Redis restart (the task is acknowledged only after this)."""
        delay = 0.1
        deadline = time.monotonic() + POST_PATIENCE_SECONDS
        while True:
            try:
                self.store.post(execution_arn, event)
                return
            except RedisError:
                if time.monotonic() >= deadline:
                    raise
                log.warning("Redis unavailable; retrying the outcome of a task of %s", execution_arn)
                time.sleep(delay)
                delay = min(delay * 2, 5.0)

    def execution_input(self, execution_arn: str) -> Any:
        record = self.store.get_execution(execution_arn)
        return None if record is None else json.loads(record.input)

    @property
    def resolver(self) -> Any:
        with self._lock:
            if self._resolver is None:
                from workers.registry import TaskRegistry
                from workers.resources import ResourceResolver

                registry = TaskRegistry()
                for spec in self.task_modules:
                    registry.load(spec)
                self._resolver = ResourceResolver(registry, lambda_endpoint=self.lambda_endpoint)
            return self._resolver


class _LazyExecution(dict[str, Any]):
    """The context object's ``Execution``, reading ``Input`` from the store on first use."""

    def __init__(self, members: dict[str, Any], load_input: Any) -> None:
        super().__init__(members)
        self._load_input = load_input

    def __missing__(self, key: str) -> Any:
        if key != "Input":
            raise KeyError(key)
        value = self["Input"] = self._load_input()
        return value


def create_app(
    redis_url: str,
    *,
    task_modules: Iterable[str] = (),
    lambda_endpoint: str | None = None,
    context: WorkerContext | None = None,
    visibility_timeout: float = 3600.0,
    advance: bool = True,
    routes: Iterable[tuple[str, str]] = (),
) -> Celery:
    """The Celery app on ``redis_url`` (broker; no result backend: outcomes go to the execution).

    With ``advance`` a worker that posted an outcome also advances the execution itself (under its
    lease, exactly as a coordinator would), so the next Task state is dispatched without waiting for a
    coordinator to wake up; coordinators still fire timers and take over orphans. ``routes`` must then
    be the coordinators' ``--route`` rules, since the worker dispatches tasks too.
    """
    app = Celery("sfn", broker=redis_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=DEFAULT_QUEUE,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        # An unacknowledged task of a worker that vanished (SIGKILL, lost machine) is redelivered after
        # this many seconds; one whose pool process died is rejected and requeued at once.
        broker_transport_options={"visibility_timeout": visibility_timeout},
    )
    shared = context or WorkerContext(redis_url, task_modules, lambda_endpoint)
    route_rules = list(routes)
    advancer: list[Any] = []  # this process's Coordinator, built on first use (after a prefork fork)

    def coordinator() -> Any:
        if not advancer:
            from orchestrator.runtime.coordinator import Coordinator
            from orchestrator.transport.celery import CeleryTransport

            advancer.append(
                Coordinator(
                    shared.store, CeleryTransport(app, routes=route_rules), owner=None, cool_down=False
                )
            )
        return advancer[0]

    def report(execution_arn: str, event: dict[str, Any], retry: Any = None) -> None:
        """Apply the outcome to the execution here (dispatching what comes next), or post it.

        ``retry``: the failed task, whose ``Task.retry`` re-dispatches it if its state retries it soon.
        """
        if not advance:
            shared.post(execution_arn, event)
            return
        try:
            if retry is None:
                coordinator().advance(execution_arn, event)
                return

            def retry_later(timer_id: str, countdown: float) -> None:
                retry.retry(
                    args=[execution_arn], kwargs={"timer_id": timer_id}, countdown=countdown, throw=False
                )

            with coordinator().transport.retrying(execution_arn, retry_later):
                coordinator().advance(execution_arn, event)
        except RedisError:  # post it (waiting out a Redis restart); a coordinator will advance it
            log.warning("could not advance %s after its task; posting the outcome instead", execution_arn)
            shared.post(execution_arn, event)

    @app.task(name="sfn.run_task", bind=True, shared=False, max_retries=None)  # type: ignore[untyped-decorator]
    def run_task(
        self: Any, execution_arn: str, command: dict[str, Any] | None = None, timer_id: str | None = None
    ) -> None:
        if timer_id is not None:  # re-delivered by Task.retry after the Retry interval
            fire(execution_arn, timer_id)
            return
        assert command is not None
        task = decode_command(command)
        assert isinstance(task, RunTask)
        execution = task.context.get("Execution")
        if isinstance(execution, dict) and "Input" not in execution:
            task.context["Execution"] = _LazyExecution(
                execution, lambda: shared.execution_input(execution_arn)
            )
        beat = encode_event(TaskHeartbeat(task.task_id))
        started = time.time()
        sent_at = getattr(self.request, SENT_AT_HEADER, None)
        if isinstance(sent_at, int | float):
            queue = (self.request.delivery_info or {}).get("routing_key") or DEFAULT_QUEUE
            metrics.observe_queue_wait(queue, started - sent_at)
        with log_context(execution_arn=execution_arn, worker=self.request.hostname, **task_context(task)):
            log.debug("task started: %s", task.resource)
            event = run_command(shared.resolver, task, lambda: shared.post(execution_arn, beat))
            metrics.observe_task_run(task.resource, time.time() - started)
            log.info("task %s", task_outcome(event))
            with metrics.applying_outcome_of(task.resource):
                report(execution_arn, encode_event(event), self if isinstance(event, TaskFailed) else None)

    @app.task(name="sfn.fire_timer", shared=False)  # type: ignore[untyped-decorator]
    def fire_timer(execution_arn: str, timer_id: str) -> None:
        fire(execution_arn, timer_id)

    def fire(execution_arn: str, timer_id: str) -> None:
        """Fire a timer unless another delivery (the timer set, a Celery message) claimed it first."""
        if shared.store.claim_timer(execution_arn, timer_id):
            with log_context(execution_arn=execution_arn):
                log.debug("timer %s fired", timer_id)
                report(execution_arn, encode_event(TimerFired(timer_id)))

    return app
