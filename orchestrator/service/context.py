"""The request context: who calls, from where. Carried through every service call so that
authentication, per-state-machine authorisation and the audit trail can hook in later."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    region: str = "us-east-1"
    account_id: str = "123456789012"
    principal: str | None = None  # the authenticated caller (access key id, later an identity)
    request_id: str = ""
    source: str = "api"  # api | cli | client
    extra: dict[str, Any] = field(default_factory=dict)
