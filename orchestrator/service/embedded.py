"""Wiring for embedded mode: memory store + :class:`EmbeddedRuntime` + :class:`ResourceResolver` behind
one :class:`StepFunctionsService` (what ``sfn run`` and ``sfn server`` use)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orchestrator.service.stepfunctions import StepFunctionsService
from orchestrator.store.memory import MemoryStore

if TYPE_CHECKING:
    from orchestrator.mocking import MockConfig


def embedded_service(
    *,
    task_modules: Iterable[str] = (),
    lambda_endpoint: str | None = None,
    time_skipping: bool = False,
    skip_after: float = 0.0,
    region: str = "us-east-1",
    account_id: str = "123456789012",
    mock_config: MockConfig | str | Path | None = None,
) -> StepFunctionsService:
    """A service running executions in this process; ``task_modules`` are imported and their ``@task``
    functions registered (dotted module names or file paths). Close it with ``service.close()``.

    ``skip_after``: with ``time_skipping``, real seconds an execution must stay idle before its clock
    jumps to its next timer (a server leaves API callers that window to act, e.g. StopExecution).

    ``mock_config``: a Step Functions Local mock configuration (loaded, or its file's path): executions
    started on ``<state machine ARN>#<test case>`` answer their mocked Task states from it
    (:mod:`orchestrator.mocking`); a file that does not validate raises ``MockConfigError``."""
    from orchestrator.mocking import MockingResolver, as_mock_config
    from orchestrator.runtime.embedded import EmbeddedRuntime
    from workers.registry import TaskRegistry
    from workers.resources import ResourceResolver

    config = as_mock_config(mock_config)
    registry = TaskRegistry()
    for spec in task_modules:
        registry.load(spec)
    resolver: Any = ResourceResolver(
        registry, lambda_endpoint=lambda_endpoint, region=region, account_id=account_id
    )
    if config is not None:
        resolver = MockingResolver(resolver, config)
    store = MemoryStore()
    runtime = EmbeddedRuntime(store, resolver, time_skipping=time_skipping, skip_after=skip_after)
    return StepFunctionsService(store, runtime, resolver, region=region, account_id=account_id)
