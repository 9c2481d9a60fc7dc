"""What a runtime hands a worker (a :class:`TaskRequest`) and what it gets back (a :class:`TaskOutcome`).

Both are plain data so they can cross a process boundary (Celery) as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class TaskRequest:
    """One Task state attempt: the ``Resource`` string, the effective parameters (the task input after
    InputPath/Parameters or Arguments), the context object (``$$``), and the callback token and
    ``TimeoutSeconds`` when the state has them."""

    resource: str
    parameters: Any
    context: dict[str, Any]
    task_token: str | None = None
    timeout_seconds: float | None = None


@dataclass
class TaskOutcome:
    """The task's result (``output``) or its failure (``error``, ``cause``), in Step Functions terms."""

    output: Any = None
    error: str | None = None
    cause: str | None = None
    final: bool = False  # the task's end even if it waits for its token (a mocked response does)

    @property
    def ok(self) -> bool:
        return self.error is None

    @classmethod
    def failure(cls, error: str, cause: str | None) -> TaskOutcome:
        return cls(error=error, cause=cause)
