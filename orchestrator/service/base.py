"""What every group of API actions shares: the store, the runtime, the resolver and the lookups.

The actions live in one mixin per resource (``state_machines``, ``versions``, ``executions``,
``history``, ``validation``); :class:`orchestrator.service.stepfunctions.StepFunctionsService` puts
them together. Methods take AWS's request dict (and a :class:`RequestContext`) and return AWS's
response dict, JSON-ready; failures are :class:`ApiError` with AWS's error names and wording.
"""

from __future__ import annotations

import threading
from typing import Protocol

from orchestrator.errors import ApiError
from orchestrator.runtime.base import Runtime
from orchestrator.service import arns
from orchestrator.service.context import RequestContext
from orchestrator.store.base import Store
from orchestrator.store.records import ExecutionRecord, StateMachineRecord


class Resolver(Protocol):
    """What the service asks of :class:`workers.resources.ResourceResolver`."""

    def check(self, resource: str) -> str | None:
        """None when a Task ``Resource`` can run here, else the reason (CreateStateMachine's message)."""
        ...


class ServiceBase:
    """Dependencies and lookups shared by the action mixins."""

    def __init__(
        self,
        store: Store,
        runtime: Runtime,
        resolver: Resolver | None = None,
        *,
        region: str = "us-east-1",
        account_id: str = "123456789012",
    ) -> None:
        self.store = store
        self.runtime = runtime
        self.resolver = resolver
        self.region = region
        self.account_id = account_id
        self._lock = threading.RLock()  # makes check-then-create sequences atomic

    def close(self) -> None:
        """Stop the runtime (and the resolver's connections, if it keeps any)."""
        self.runtime.close()
        close = getattr(self.resolver, "close", None)
        if callable(close):
            close()

    def context(self, ctx: RequestContext | None) -> RequestContext:
        return ctx if ctx is not None else RequestContext(region=self.region, account_id=self.account_id)

    # lookups ------------------------------------------------------------------------------------

    def machine(self, arn: str) -> StateMachineRecord:
        """An existing (unqualified or version) state machine; ``StateMachineDoesNotExist`` otherwise."""
        record = self.store.get_state_machine(arn)
        if record is None:
            raise ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
        return record

    def execution(self, arn: object) -> ExecutionRecord:
        arns.parse_execution(arn)
        assert isinstance(arn, str)
        record = self.store.get_execution(arn)
        if record is None:
            raise ApiError("ExecutionDoesNotExist", f"Execution Does Not Exist: '{arn}'")
        return record

    def qualifiers(self, execution_arn: str) -> dict[str, str]:
        """``stateMachineVersionArn`` / ``stateMachineAliasArn`` of an execution started through one."""
        record = self.store.get_execution(execution_arn)
        found: dict[str, str] = {}
        if record is not None and record.version_arn is not None:
            found["stateMachineVersionArn"] = record.version_arn
        if record is not None and record.alias_arn is not None:
            found["stateMachineAliasArn"] = record.alias_arn
        return found
