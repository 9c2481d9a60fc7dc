"""The inline transport: tasks run in this process's thread pool and post their outcome to the store."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from orchestrator.engine.codec import encode_event
from orchestrator.engine.model import RunTask, TaskHeartbeat
from orchestrator.transport.base import run_command


class InlineTransport:
    def __init__(self, store: Any, resolver: Any, *, max_workers: int = 16) -> None:
        self.store = store
        self.resolver = resolver
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="sfn-task")

    def dispatch(self, execution_arn: str, command: RunTask) -> None:
        self._pool.submit(self._run, execution_arn, command)

    def _run(self, execution_arn: str, command: RunTask) -> None:
        beat = encode_event(TaskHeartbeat(command.task_id))
        event = run_command(self.resolver, command, lambda: self.store.post(execution_arn, beat))
        self.store.post(execution_arn, encode_event(event))

    def nudge_timer(self, execution_arn: str, timer_id: str, due: float) -> None:
        """Nothing to do: coordinators fire timers from the store."""

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
