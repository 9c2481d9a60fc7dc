"""The Celery transport: a coordinator's ``RunTask`` becomes an ``sfn.run_task`` message on a queue.

Routing keeps definitions unchanged (they run on AWS as written): ``routes`` map a glob on the task's
resource (or, for ``lambda:invoke``, on its ``FunctionName``) to a queue, so a workflow's heavy tasks go
to their own worker pool (``sfn worker --queues heavy``).

Short timers are also delivered through Celery: the retry interval of a task that failed on a worker is
re-dispatched with that task's own ``Task.retry(countdown=...)`` (see :meth:`CeleryTransport.retrying`),
other short timers (a Wait, a retry decided by a coordinator) as delayed ``sfn.fire_timer`` messages.
The durable timer set stays the source of truth, and whichever delivery claims a timer first fires it:
the Redis transport keeps delayed messages in worker memory and redelivers them only after its
visibility timeout, so long timers are left to the set alone.
"""

from __future__ import annotations

import fnmatch
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from orchestrator.engine.codec import encode_command
from orchestrator.engine.model import RunTask
from orchestrator.transport.context import without_execution_input

DEFAULT_QUEUE = "sfn-tasks"
TIMER_QUEUE = "sfn-timers"
SHORT_TIMER_SECONDS = 60.0


class CeleryTransport:
    def __init__(
        self,
        app: Any,
        *,
        routes: Iterable[tuple[str, str]] = (),
        default_queue: str = DEFAULT_QUEUE,
        timer_queue: str | None = TIMER_QUEUE,
    ) -> None:
        self.app = app
        self.routes = list(routes)
        self.default_queue = default_queue
        self.timer_queue = timer_queue
        self._retrying = threading.local()

    @contextmanager
    def retrying(self, execution_arn: str, retry: Callable[[str, float], None]) -> Iterator[None]:
        """While a worker applies its task's failure: the first short timer of ``execution_arn`` (the
        Retry interval) goes through ``retry(timer_id, countdown)``, the task's ``Task.retry``."""
        self._retrying.current = (execution_arn, retry)
        try:
            yield
        finally:
            self._retrying.current = None

    def queue_for(self, command: RunTask) -> str:
        names = [command.resource]
        if isinstance(command.parameters, dict) and isinstance(command.parameters.get("FunctionName"), str):
            names.append(command.parameters["FunctionName"])
        for pattern, queue in self.routes:
            if any(fnmatch.fnmatchcase(name, pattern) for name in names):
                return queue
        return self.default_queue

    def dispatch(self, execution_arn: str, command: RunTask) -> None:
        message = encode_command(command)
        message["context"] = without_execution_input(command.context)
        self.app.send_task(
            "sfn.run_task",
            args=[execution_arn, message],
            queue=self.queue_for(command),
            argsrepr=f"({execution_arn!r}, {command.task_id!r})",  # not Celery's saferepr of the whole input
            kwargsrepr="{}",
        )

    def nudge_timer(self, execution_arn: str, timer_id: str, due: float) -> None:
        """Deliver a short timer through a delayed Celery message as well as the durable set."""
        delay = due - time.time()
        if delay > SHORT_TIMER_SECONDS:
            return
        retrying = getattr(self._retrying, "current", None)
        if retrying is not None and retrying[0] == execution_arn:
            self._retrying.current = None
            retrying[1](timer_id, max(delay, 0.0))
            return
        if self.timer_queue is None:
            return
        self.app.send_task(
            "sfn.fire_timer",
            args=[execution_arn, timer_id],
            countdown=max(delay, 0.0),
            queue=self.timer_queue,
        )

    def close(self) -> None:
        pass


def parse_routes(specs: Iterable[str]) -> list[tuple[str, str]]:
    """``PATTERN=QUEUE`` strings (``sfn coordinator --route``) as (pattern, queue) pairs."""
    routes = []
    for spec in specs:
        pattern, separator, queue = spec.rpartition("=")
        if not separator or not pattern or not queue:
            raise ValueError(f"a route is PATTERN=QUEUE, got {spec!r}")
        routes.append((pattern, queue))
    return routes
