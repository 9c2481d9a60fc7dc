"""Task ``Resource`` ARNs: what a Task state calls, and the names AWS writes for it in the history.

Three spellings run something (Amazon States Language, "Task state"; AWS's service-integration ARNs):

* ``arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]``: a Lambda function called directly. AWS
  records ``LambdaFunctionScheduled/Started/Succeeded/Failed`` events that carry this ARN.
* ``arn:aws:states:::SERVICE:ACTION[.PATTERN]`` and ``arn:aws:states:::aws-sdk:SERVICE:ACTION[.PATTERN]``:
  a service integration; PATTERN is ``sync``, ``sync:2`` or ``waitForTaskToken``. AWS records ``Task*``
  events with ``resourceType`` (``lambda``, ``aws-sdk:s3``) and ``resource`` (``invoke``,
  ``sendMessage.waitForTaskToken``), see :func:`history_names`.
* ``arn:aws:states:REGION:ACCOUNT:activity:NAME``: an activity, polled by workers (``Activity*`` events).

Anything else parses as kind ``unknown``. This module only reads the ARN; whether something can run it is
``workers.resources.ResourceResolver``'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ResourceKind = Literal["lambda_function", "service", "activity", "unknown"]
IntegrationPattern = Literal["", "sync", "sync:2", "waitForTaskToken"]

_PATTERNS: dict[str, IntegrationPattern] = {
    "": "",
    "sync": "sync",
    "sync:2": "sync:2",
    "waitForTaskToken": "waitForTaskToken",
}

# arn:PARTITION:SERVICE:REGION:ACCOUNT:REST; region and account may be empty (service integrations).
_ARN = re.compile(
    r"^arn:(?P<partition>[^:]+):(?P<service>[^:]+):(?P<region>[^:]*):(?P<account>[^:]*):(?P<rest>.+)$"
)
_FUNCTION = re.compile(r"^function:(?P<name>[^:]+)(?::(?P<qualifier>[^:]+))?$")
_ACTIVITY = re.compile(r"^activity:(?P<name>[^:]+)$")
# SERVICE:ACTION[.PATTERN] or aws-sdk:SERVICE:ACTION[.PATTERN]; the pattern itself may hold a colon (sync:2).
_INTEGRATION = re.compile(r"^(?P<service>aws-sdk:[^:.]+|[^:.]+):(?P<action>[^:.]+)(?:\.(?P<pattern>.+))?$")


@dataclass(frozen=True)
class Resource:
    """A parsed Task ``Resource``. ``service``/``action``/``pattern`` are set for service integrations,
    ``function_name``/``qualifier`` for Lambda function ARNs; ``region``/``account`` when the ARN has them."""

    arn: str
    kind: ResourceKind
    service: str | None = None
    action: str | None = None
    pattern: IntegrationPattern = ""
    region: str | None = None
    account: str | None = None
    function_name: str | None = None
    qualifier: str | None = None

    @property
    def is_lambda_invoke(self) -> bool:
        """``arn:aws:states:::lambda:invoke[.waitForTaskToken]`` (the optimised Lambda integration)."""
        return self.kind == "service" and self.service == "lambda" and self.action == "invoke"


def parse_resource(arn: str) -> Resource:
    """Read a Task ``Resource`` string; never raises (unrecognised text is kind ``unknown``)."""
    match = _ARN.match(arn)
    if match is None:
        return Resource(arn=arn, kind="unknown")
    region = match["region"] or None
    account = match["account"] or None
    service, rest = match["service"], match["rest"]
    if service == "lambda":
        function = _FUNCTION.match(rest)
        if function is None:
            return Resource(arn=arn, kind="unknown", region=region, account=account)
        return Resource(
            arn=arn,
            kind="lambda_function",
            service="lambda",
            region=region,
            account=account,
            function_name=function["name"],
            qualifier=function["qualifier"],
        )
    if service != "states":
        return Resource(arn=arn, kind="unknown", region=region, account=account)
    activity = _ACTIVITY.match(rest)
    if activity is not None:
        return Resource(arn=arn, kind="activity", service="states", region=region, account=account)
    integration = _INTEGRATION.match(rest)
    if integration is None or (integration["pattern"] or "") not in _PATTERNS:
        return Resource(arn=arn, kind="unknown", region=region, account=account)
    return Resource(
        arn=arn,
        kind="service",
        service=integration["service"],
        action=integration["action"],
        pattern=_PATTERNS[integration["pattern"] or ""],
        region=region,
        account=account,
    )


def history_names(resource: Resource) -> tuple[str, str]:
    """``(resourceType, resource)`` of the ``Task*`` history events of a service integration.

    As recorded by AWS: ``arn:aws:states:::lambda:invoke`` → ``("lambda", "invoke")``,
    ``arn:aws:states:::sqs:sendMessage.waitForTaskToken`` → ``("sqs", "sendMessage.waitForTaskToken")``,
    ``arn:aws:states:::aws-sdk:s3:getObject`` → ``("aws-sdk:s3", "getObject")``. Lambda function ARNs
    and activities write ``LambdaFunction*``/``Activity*`` events instead, so they have no such names.
    """
    if resource.kind != "service" or resource.service is None or resource.action is None:
        raise ValueError(f"{resource.arn!r} is not a service integration; it has no Task* event names")
    suffix = f".{resource.pattern}" if resource.pattern else ""
    return resource.service, f"{resource.action}{suffix}"
