"""Task functions the distributed tests' Celery workers load (``--tasks tests/runtime/sample_tasks.py``)."""

from __future__ import annotations

import os
import time
from typing import Any

from workers.registry import task


@task
def double(value: int) -> int:
    return value * 2


@task
def add(value: dict[str, int]) -> int:
    return value["a"] + value["b"]


@task
def flaky(value: dict[str, Any]) -> dict[str, Any]:
    """Fails until a marker file exists, then creates it: the first attempt fails, the retry succeeds."""
    marker = value["marker"]
    if not os.path.exists(marker):
        with open(marker, "w") as handle:
            handle.write("tried")
        raise RuntimeError("first attempt fails")
    return {"attempts": "retried"}


@task
def slow(value: dict[str, Any]) -> str:
    time.sleep(float(value.get("seconds", 1)))
    return "slept"


@task
def input_size(value: Any, context: dict[str, Any]) -> int:
    """Reads the context object's Execution.Input (sent lazily to Celery workers)."""
    return len(context["Execution"]["Input"]["items"])


@task
def record_pid_then_sleep(value: dict[str, Any]) -> str:
    """Writes this worker process's pid to ``pid_file`` and sleeps (long the first time, short after)."""
    path = value["pid_file"]
    first = not os.path.exists(path)
    with open(path, "a") as handle:
        handle.write(f"{os.getpid()}\n")
    time.sleep(float(value["seconds"]) if first else 0.1)
    return "done"


@task
def execution_input(value: Any, context: dict[str, Any]) -> Any:
    """The context object's Execution.Input (a DISTRIBUTED Map child's is its own item)."""
    return context["Execution"]["Input"]


@task
def hand_out(value: dict[str, Any]) -> dict[str, bool]:
    """Hands a callback task's token out (to a file), as a message to an approver would."""
    with open(value["inbox"], "w") as inbox:
        inbox.write(value["token"])
    return {"queued": True}
