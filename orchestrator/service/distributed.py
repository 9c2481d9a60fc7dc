"""Wiring for distributed mode: the Redis store + :class:`DistributedRuntime` behind one
:class:`StepFunctionsService` (what ``sfn server --redis URL`` and the producer client use).

Executions are advanced by ``sfn coordinator`` processes and their tasks run on ``sfn worker`` processes;
this process only reads and writes the shared store.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from orchestrator.service.stepfunctions import StepFunctionsService

if TYPE_CHECKING:
    from orchestrator.mocking import MockConfig


def distributed_service(
    redis_url: str,
    *,
    task_modules: Iterable[str] = (),
    lambda_endpoint: str | None = None,
    region: str = "us-east-1",
    account_id: str = "123456789012",
    mock_config: MockConfig | str | Path | None = None,
) -> StepFunctionsService:
    """A service over the store at ``redis_url``. ``task_modules`` only serve resource checks at creation
    time and TestState here: the workers run the tasks of executions.

    ``mock_config`` is refused (``ValueError``) rather than ignored: mocked test cases need the
    execution's test case where the workers run its tasks, which the shared store does not carry yet;
    run them embedded (``embedded_service(mock_config=...)``)."""
    if mock_config is not None:
        raise ValueError(
            "Mocked service integrations (a mock configuration) run in embedded mode only for now; "
            "start the server without --redis"
        )
    from orchestrator.runtime.distributed import DistributedRuntime
    from orchestrator.store.redis import RedisStore
    from workers.registry import TaskRegistry
    from workers.resources import ResourceResolver

    registry = TaskRegistry()
    for spec in task_modules:
        registry.load(spec)
    resolver = ResourceResolver(
        registry, lambda_endpoint=lambda_endpoint, region=region, account_id=account_id
    )
    store = RedisStore(redis_url)
    runtime = DistributedRuntime(store, resolver)
    return StepFunctionsService(store, runtime, resolver, region=region, account_id=account_id)
