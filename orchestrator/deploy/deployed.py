"""What is deployed now: the state machines of the wanted names, read through a :class:`StepFunctionsApi`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from orchestrator.deploy.project import normal_logging, normal_tracing
from orchestrator.deploy.target import StepFunctionsApi


@dataclass(frozen=True)
class DeployedMachine:
    """A state machine as DescribeStateMachine and ListTagsForResource answer for it."""

    arn: str
    name: str
    definition: str
    type: str
    role_arn: str
    logging: dict[str, Any]
    tracing: dict[str, Any]
    tags: dict[str, str]


def machine_arns(api: StepFunctionsApi) -> dict[str, str]:
    """``name → ARN`` of every (unqualified) state machine, through every page of ListStateMachines."""
    found: dict[str, str] = {}
    request: dict[str, Any] = {}
    while True:
        page = api.call("ListStateMachines", request)
        for item in page.get("stateMachines", []):
            found[item["name"]] = item["stateMachineArn"]
        if not page.get("nextToken"):
            return found
        request = {"nextToken": page["nextToken"]}


def describe(api: StepFunctionsApi, arn: str) -> DeployedMachine:
    """One deployed machine, its tags included."""
    described = api.call("DescribeStateMachine", {"stateMachineArn": arn})
    tags = api.call("ListTagsForResource", {"resourceArn": arn}).get("tags", [])
    return DeployedMachine(
        arn=arn,
        name=described["name"],
        definition=described["definition"],
        type=described.get("type", "STANDARD"),
        role_arn=described.get("roleArn", ""),
        logging=normal_logging(described.get("loggingConfiguration")),
        tracing=normal_tracing(described.get("tracingConfiguration")),
        tags={str(t["key"]): str(t.get("value", "")) for t in tags},
    )


def deployed_machines(api: StepFunctionsApi, names: Iterable[str]) -> dict[str, DeployedMachine]:
    """The machines among ``names`` that exist, by name."""
    arns = machine_arns(api)
    return {name: describe(api, arns[name]) for name in names if name in arns}
