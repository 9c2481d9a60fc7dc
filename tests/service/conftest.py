"""Service tests run against a fake runtime and a minimal definition checker, so that they pin the API
layer's behaviour only (the real validator and runtime have their own tests)."""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import datetime
from typing import Any

import pytest

from orchestrator.asl.diagnostics import Diagnostic
from orchestrator.errors import ApiError, DefinitionError
from orchestrator.service import StepFunctionsService, definitions
from orchestrator.store.memory import MemoryStore
from orchestrator.store.records import ExecutionRecord, StateMachineRecord

ROLE = "arn:aws:iam::123456789012:role/test-role"
PASS_DEFINITION = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


class FakeRuntime:
    """Finishes every execution at launch (SUCCEEDED, output = input), unless ``hold`` is set."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self.hold = False
        self.launched: list[tuple[StateMachineRecord, ExecutionRecord]] = []
        self.test_state_requests: list[dict[str, Any]] = []
        self._done = threading.Condition()

    def _finish(self, arn: str, **changes: Any) -> ExecutionRecord:
        record = self.store.get_execution(arn)
        assert record is not None
        finished = dataclasses.replace(record, stop_date=datetime.now().astimezone(), **changes)
        _, version = self.store.load_state(arn)
        count = self.store.history_length(arn)
        event = {
            "timestamp": 1.0,
            "type": f"Execution{changes['status'].title().replace('_', '')}",
            "id": count + 1,
            "previousEventId": count,
        }
        self.store.commit(arn, version, None, [event], finished)
        with self._done:
            self._done.notify_all()
        return finished

    def launch(self, machine: StateMachineRecord, execution: ExecutionRecord) -> None:
        self.launched.append((machine, execution))
        _, version = self.store.load_state(execution.arn)
        started = {
            "timestamp": 0.5,
            "type": "ExecutionStarted",
            "id": 1,
            "previousEventId": 0,
            "executionStartedEventDetails": {
                "input": execution.input,
                "inputDetails": {"truncated": False},
                "roleArn": execution.role_arn,
            },
        }
        self.store.commit(execution.arn, version, None, [started])
        if not self.hold:
            self._finish(execution.arn, status="SUCCEEDED", output=execution.input)

    def stop(self, execution_arn: str, error: str | None, cause: str | None) -> ExecutionRecord:
        return self._finish(execution_arn, status="ABORTED", error=error, cause=cause)

    def wait(self, execution_arn: str, timeout: float | None = None) -> ExecutionRecord:
        with self._done:
            self._done.wait_for(lambda: self.store.get_execution(execution_arn).status != "RUNNING", timeout)
        record = self.store.get_execution(execution_arn)
        assert record is not None
        return record

    def test_state(self, request: dict[str, Any]) -> dict[str, Any]:
        self.test_state_requests.append(request)
        return {"status": "SUCCEEDED", "output": request.get("input", "{}")}

    def close(self) -> None:
        pass


def fake_check(text: str, state_machine_type: str) -> dict[str, Any]:
    diagnostics = fake_diagnose(text, state_machine_type)
    if diagnostics:
        raise ApiError("InvalidDefinition", DefinitionError(diagnostics).message)
    return json.loads(text)


def fake_diagnose(text: str, state_machine_type: str) -> list[Diagnostic]:
    try:
        document = json.loads(text)
    except ValueError:
        return [Diagnostic("INVALID_JSON_DESCRIPTION", "Unrecognized token", "[Source: (String); line: 1]")]
    if not isinstance(document, dict):
        return [Diagnostic("SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object")]
    missing = [f for f in ("States", "StartAt") if f not in document]
    found = (
        [Diagnostic("SCHEMA_VALIDATION_FAILED", f"These fields are required: [{', '.join(missing)}]", "/")]
        if missing
        else []
    )
    if "Comment" in document and document["Comment"] == "warn":
        found.append(Diagnostic("SOME_WARNING", "just a warning", "/Comment", severity="WARNING"))
    return found


class FakeResolver:
    def check(self, resource: str) -> str | None:
        return None if resource.startswith("arn:aws:lambda") else f"Resource not runnable: {resource}"


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def runtime(store: MemoryStore) -> FakeRuntime:
    return FakeRuntime(store)


@pytest.fixture
def service(
    store: MemoryStore, runtime: FakeRuntime, monkeypatch: pytest.MonkeyPatch
) -> StepFunctionsService:
    monkeypatch.setattr(definitions, "check", fake_check)
    monkeypatch.setattr(definitions, "diagnose", fake_diagnose)
    return StepFunctionsService(store, runtime, FakeResolver())  # type: ignore[arg-type]


def create(service: StepFunctionsService, name: str = "machine", **extra: Any) -> str:
    request = {"name": name, "definition": PASS_DEFINITION, "roleArn": ROLE, **extra}
    return str(service.create_state_machine(request)["stateMachineArn"])
