"""The AWS JSON 1.0 protocol as Step Functions speaks it.

A request is ``POST /`` with ``X-Amz-Target: AWSStepFunctions.<Action>`` and a JSON body; a response is
the JSON result, or HTTP 400 ``{"__type": "<namespace>#<Code>", "message": "..."}``. AWS namespaces
its own errors ``com.amazonaws.swf.service.v2.model#``, model-constraint violations
``com.amazon.coral.validate#ValidationException`` and protocol errors ``com.amazon.coral.service#``;
SDKs keep what follows ``#``.
"""

from __future__ import annotations

import json
import re
from typing import Any

TARGET_PREFIX = "AWSStepFunctions."
CONTENT_TYPE = "application/x-amz-json-1.0"

SERVICE_NAMESPACE = "com.amazonaws.swf.service.v2.model"
VALIDATE_NAMESPACE = "com.amazon.coral.validate"
CORAL_NAMESPACE = "com.amazon.coral.service"
_CORAL_CODES = frozenset(
    {"UnknownOperationException", "SerializationException", "InternalFailure", "AccessDeniedException"}
)

# Authorization: AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request, ...
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request")


def action_of(target: str | None) -> str | None:
    """``AWSStepFunctions.StartExecution`` → ``StartExecution``; None for anything else."""
    if not target or not target.startswith(TARGET_PREFIX):
        return None
    return target[len(TARGET_PREFIX) :] or None


def credential_scope(authorization: str | None) -> tuple[str | None, str | None]:
    """(access key id, region) from a SigV4 ``Authorization`` header, when it has one."""
    match = _CREDENTIAL.search(authorization or "")
    if match is None:
        return None, None
    return match.group(1), match.group(3)


def error_type(code: str) -> str:
    """The ``__type`` AWS sends for an error code."""
    if code == "ValidationException":
        return f"{VALIDATE_NAMESPACE}#{code}"
    if code in _CORAL_CODES:
        return f"{CORAL_NAMESPACE}#{code}"
    return f"{SERVICE_NAMESPACE}#{code}"


def error_body(code: str, message: str) -> bytes:
    return encode({"__type": error_type(code), "message": message})


def encode(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def decode(body: bytes) -> Any:
    """The request document; an empty body is ``{}``. Raises ``ValueError`` if it is not JSON."""
    if not body.strip():
        return {}
    return json.loads(body)
