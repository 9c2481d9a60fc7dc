"""ValidateStateMachineDefinition, and the request checks of TestState before the runtime runs it.

TestState's checks here are the ones that need no definition (parameters that exclude each other,
a mock result that is not JSON); those that depend on the state tested (state type, ``stateName``,
the context object) belong to the runtime's ``test_state``.
"""

from __future__ import annotations

import json
from typing import Any

from orchestrator.errors import ApiError
from orchestrator.service import arns, definitions, params
from orchestrator.service.base import ServiceBase
from orchestrator.service.context import RequestContext
from orchestrator.service.inputs import execution_input, parse_json

VALIDATION_MAX_RESULTS = 100
INSPECTION_LEVELS = ("INFO", "DEBUG", "TRACE")
FIELD_VALIDATION_MODES = ("STRICT", "PRESENT", "NONE")


def _json_text(value: Any) -> bool:
    try:
        parse_json(value)
    except (TypeError, ValueError):
        return False
    return True


def check_mock(mock: Any) -> None:
    if not isinstance(mock, dict):
        raise ApiError("SerializationException", "Expected an object for 'mock'")
    if mock.get("result") is not None and mock.get("errorOutput") is not None:
        raise ApiError(
            "ValidationException",
            "A test mock should have only one of the following fields: [result, errorOutput].",
        )
    if mock.get("result") is not None and not _json_text(mock["result"]):
        raise ApiError("ValidationException", "Mocked result must be valid JSON")
    params.enum(mock, "fieldValidationMode", FIELD_VALIDATION_MODES)


class ValidationActions(ServiceBase):
    def validate_state_machine_definition(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        text = params.string(request, "definition", required_=True)
        assert text is not None
        params.max_length(text, "definition", definitions.MAX_LENGTH)
        machine_type = params.enum(request, "type", ("STANDARD", "EXPRESS"), default="STANDARD") or "STANDARD"
        severity = params.enum(request, "severity", ("ERROR", "WARNING"), default="ERROR")
        limit = (
            params.integer(request, "maxResults", minimum=0, maximum=VALIDATION_MAX_RESULTS)
            or VALIDATION_MAX_RESULTS
        )
        found = definitions.diagnose(text, machine_type)
        shown = [d for d in found if severity == "WARNING" or d.severity == "ERROR"]
        diagnostics = []
        for diagnostic in shown[:limit]:
            item = {"severity": diagnostic.severity, "code": diagnostic.code, "message": diagnostic.message}
            if diagnostic.path is not None:
                item["location"] = diagnostic.path
            diagnostics.append(item)
        return {
            "result": "FAIL" if any(d.severity == "ERROR" for d in found) else "OK",
            "diagnostics": diagnostics,
            "truncated": len(shown) > limit,
        }

    def test_state(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        """Checks the request, then runs it with the runtime's ``test_state`` (AWS's members both ways)."""
        text = params.string(request, "definition", required_=True)
        params.max_length(text, "definition", definitions.MAX_LENGTH)
        if request.get("roleArn") is not None:
            arns.validate_role_arn(request["roleArn"])
        if request.get("input") is not None:
            execution_input(request["input"])
        params.enum(request, "inspectionLevel", INSPECTION_LEVELS)
        state_name = params.string(request, "stateName")
        if state_name is not None and not state_name:
            raise params.validation_error(
                state_name, "stateName", "Member must have length greater than or equal to 1"
            )
        for member in ("variables", "context"):
            value = params.string(request, member)
            if value is not None and not _json_text(value):
                raise ApiError(
                    "ValidationException", f"'{member}' must be valid JSON: {json.dumps(value)[:200]}"
                )
        mock = request.get("mock")
        if mock is not None:
            check_mock(mock)
            if params.boolean(request, "revealSecrets"):
                raise ApiError(
                    "ValidationException",
                    "TestState does not support RevealSecrets when a mock is specified.",
                )
        configuration = request.get("stateConfiguration") or {}
        if (
            mock is None
            and isinstance(configuration, dict)
            and configuration.get("mapIterationFailureCount") is not None
        ):
            raise ApiError(
                "ValidationException",
                "TestState does not support MapIterationFailureCount when a mock is not specified.",
            )
        return self.runtime.test_state(request)
