"""A mocked Task result checked against the output shape of the AWS API the Task's resource calls.

AWS validates ``mock.result`` against the API model of the integration (botocore's service models here):
``STRICT`` (the default) requires every required member and checks every member present, ``PRESENT`` only
checks the members present, ``NONE`` nothing. Members are named as Step Functions returns them (the
model's name with a capital first letter: ``ExecutionArn`` for ``executionArn``); members the model does
not know are accepted. The first problem is reported with AWS's wording, naming only the member itself:
``Mock result schema validation error: Field 'MemorySize' exceeds the maximum value``.

Lambda functions called by ARN, activities, callbacks (``.waitForTaskToken``) and HTTP/API Gateway/EKS
integrations return what their callee returns, so nothing is checked. Blobs are strings, even where the
optimised integration returns JSON (``lambda:invoke``'s ``Payload``; observed as refused by AWS).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NoReturn

from orchestrator.asl.resources import parse_resource
from orchestrator.engine.test_state.request import validation_error

_PREFIX = "Mock result schema validation error: "

# Step Functions' service names that botocore spells differently.
_SERVICE_NAMES = {
    "states": "stepfunctions",
    "sfn": "stepfunctions",
    "cloudwatchlogs": "logs",
    "elasticmapreduce": "emr",
    "glue-databrew": "databrew",
}
# Optimised integrations whose result is another API's output, or no API's at all.
_OPTIMISED_OPERATIONS = {
    ("bedrock", "invokeModel"): ("bedrock-runtime", "InvokeModel"),
    ("stepfunctions", "startExecution.sync"): ("stepfunctions", "DescribeExecution"),
    ("stepfunctions", "startExecution.sync:2"): ("stepfunctions", "DescribeExecution"),
}
_UNCHECKED_SERVICES = frozenset({"http", "apigateway", "eks"})

# Limits in the API models AWS validates with where botocore's (newer) models differ, as recorded.
_MODEL_OVERRIDES: dict[tuple[str, str], dict[str, int]] = {
    ("lambda", "MemorySize"): {"max": 10240},
}


def check_mock_result(resource: str, result: Any, mode: str) -> None:
    """Raise AWS's ``ValidationException`` if ``result`` does not fit the output of ``resource``'s API."""
    if mode == "NONE":
        return
    target = _operation(resource)
    if target is None:
        return
    shape = _output_shape(*target)
    if shape is None:
        return
    _Checker(target[0], strict=mode == "STRICT").check(result, shape, None)


def _operation(resource: str) -> tuple[str, str] | None:
    """``(botocore service, operation)`` of a service-integration resource, else ``None``."""
    parsed = parse_resource(resource)
    if parsed.kind != "service" or parsed.service is None or parsed.action is None:
        return None
    if parsed.pattern == "waitForTaskToken":
        return None
    sdk = parsed.service.startswith("aws-sdk:")
    name = parsed.service.removeprefix("aws-sdk:")
    if name in _UNCHECKED_SERVICES:
        return None
    service = _SERVICE_NAMES.get(name, name)
    action = f"{parsed.action}.{parsed.pattern}" if parsed.pattern else parsed.action
    if not sdk and (service, action) in _OPTIMISED_OPERATIONS:
        return _OPTIMISED_OPERATIONS[(service, action)]
    if parsed.pattern:
        return None
    return service, parsed.action[:1].upper() + parsed.action[1:]


@lru_cache(maxsize=256)
def _output_shape(service: str, operation: str) -> Any:
    session = _session()
    try:
        model = session.get_service_model(service)
    except Exception:  # an unknown service: botocore raises its own UnknownServiceError
        return None
    names = {name.lower(): name for name in model.operation_names}
    found = names.get(operation.lower())
    return None if found is None else model.operation_model(found).output_shape


@lru_cache(maxsize=1)
def _session() -> Any:
    import botocore.session

    return botocore.session.get_session()


def _sfn_name(member: str) -> str:
    return member[:1].upper() + member[1:]


class _Checker:
    """Walks a mocked value along a botocore shape; raises on the first problem."""

    def __init__(self, service: str, *, strict: bool) -> None:
        self.service = service
        self.strict = strict

    def fail(self, field: str | None, problem: str) -> NoReturn:
        raise validation_error(f"{_PREFIX}Field '{field}' {problem}")

    def check(self, value: Any, shape: Any, field: str | None) -> None:
        kind = shape.type_name
        limits = {**shape.metadata, **_MODEL_OVERRIDES.get((self.service, shape.name), {})}
        if kind == "structure":
            self.structure(value, shape, field)
        elif kind == "list":
            if not isinstance(value, list):
                self.fail(field, "must be an array")
            self.length(len(value), limits, field)
            for item in value:
                self.check(item, shape.member, field)
        elif kind == "map":
            if not isinstance(value, dict):
                self.fail(field, "must be an object")
            for item in value.values():
                self.check(item, shape.value, field)
        elif kind in ("string", "timestamp"):
            if not isinstance(value, str):
                self.fail(field, "must be a string")
            if shape.metadata.get("enum") and value not in shape.metadata["enum"]:
                self.fail(field, "is not an expected value")
            self.length(len(value), limits, field)
        elif kind == "blob":
            if not isinstance(value, str):
                self.fail(field, "must be a string")
            self.length(len(value), limits, field)
        elif kind in ("integer", "long", "float", "double"):
            self.number(value, kind, limits, field)
        elif kind == "boolean" and not isinstance(value, bool):
            self.fail(field, "must be a boolean")

    def structure(self, value: Any, shape: Any, field: str | None) -> None:
        if not isinstance(value, dict):
            if field is None:
                raise validation_error("Mocked result must be a JSON object.")
            self.fail(field, "must be an object")
        if self.strict:
            for required in shape.required_members:
                if _sfn_name(required) not in value:
                    raise validation_error(f"{_PREFIX}Required field '{_sfn_name(required)}' is missing")
        members = {_sfn_name(name): member for name, member in shape.members.items()}
        for name, item in value.items():
            member = members.get(name)
            if member is not None:
                self.check(item, member, name)

    def number(self, value: Any, kind: str, limits: dict[str, Any], field: str | None) -> None:
        integral = kind in ("integer", "long")
        valid = isinstance(value, int) if integral else isinstance(value, int | float)
        if isinstance(value, bool) or not valid:
            self.fail(field, "must be a number")
        if "min" in limits and value < limits["min"]:
            self.fail(field, "is less than the minimum value")
        if "max" in limits and value > limits["max"]:
            self.fail(field, "exceeds the maximum value")

    def length(self, length: int, limits: dict[str, Any], field: str | None) -> None:
        if "min" in limits and length < limits["min"]:
            self.fail(field, "is smaller than the minimum length")
        if "max" in limits and length > limits["max"]:
            self.fail(field, "exceeds the maximum length")
