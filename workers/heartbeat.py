"""``heartbeat()``: a running task tells Step Functions it is alive (``HeartbeatSeconds``).

    from workers import heartbeat, task

    @task
    def crunch(event):
        for chunk in chunks(event):
            work(chunk)
            heartbeat()          # each call starts the state's HeartbeatSeconds period again

Outside a task, or when the runtime cannot deliver heartbeats, it does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[Callable[[], None] | None] = ContextVar("sfn_heartbeat", default=None)


def heartbeat() -> None:
    """Report that the current task is alive."""
    send = _current.get()
    if send is not None:
        send()


@contextmanager
def beating(send: Callable[[], None] | None) -> Iterator[None]:
    """Make ``heartbeat()`` call ``send`` while the block runs a task."""
    token = _current.set(send)
    try:
        yield
    finally:
        _current.reset(token)
