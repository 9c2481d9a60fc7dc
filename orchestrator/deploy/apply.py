"""Carry a plan out: CreateStateMachine / UpdateStateMachine with ``publish=True``, then tags.

Every create and every change other than tags publishes a version whose description says where it came
from (:mod:`orchestrator.deploy.revision`); a machine whose plan is ``unchanged`` gets no call at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from orchestrator.deploy.plan import MachinePlan
from orchestrator.deploy.project import DesiredMachine
from orchestrator.deploy.target import StepFunctionsApi


@dataclass(frozen=True)
class Applied:
    """What one machine's deployment did: its ARN and the version it published (if any)."""

    name: str
    action: str
    arn: str
    version_arn: str | None = None


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in tags.items()]


def create(api: StepFunctionsApi, machine: DesiredMachine, description: str) -> Applied:
    request: dict[str, Any] = {
        "name": machine.name,
        "definition": machine.definition,
        "roleArn": machine.role_arn,
        "type": machine.type,
        "loggingConfiguration": machine.logging,
        "tracingConfiguration": machine.tracing,
        "publish": True,
        "versionDescription": description,
    }
    if machine.tags:
        request["tags"] = _tag_list(machine.tags)
    answer = api.call("CreateStateMachine", request)
    return Applied(machine.name, "create", answer["stateMachineArn"], answer.get("stateMachineVersionArn"))


def update(api: StepFunctionsApi, plan: MachinePlan, description: str) -> Applied:
    assert plan.deployed is not None
    machine, arn = plan.desired, plan.deployed.arn
    version_arn = None
    if plan.updates_machine:
        members = {
            "definition": machine.definition,
            "roleArn": machine.role_arn,
            "loggingConfiguration": machine.logging,
            "tracingConfiguration": machine.tracing,
        }
        request: dict[str, Any] = {k: v for k, v in members.items() if k in plan.changes}
        request.update(stateMachineArn=arn, publish=True, versionDescription=description)
        version_arn = api.call("UpdateStateMachine", request).get("stateMachineVersionArn")
    if plan.tags_to_set:
        api.call("TagResource", {"resourceArn": arn, "tags": _tag_list(plan.tags_to_set)})
    if plan.tags_to_remove:
        api.call("UntagResource", {"resourceArn": arn, "tagKeys": list(plan.tags_to_remove)})
    return Applied(machine.name, "update", arn, version_arn)


def apply_plan(
    api: StepFunctionsApi,
    plans: list[MachinePlan],
    describe: Callable[[DesiredMachine], str],
    on_applied: Callable[[Applied], None] | None = None,
) -> list[Applied]:
    """Apply every plan in order (``describe`` gives a machine's version description); an
    :class:`ApiError` stops at the machine the service refused, the ones before it stay applied."""
    done: list[Applied] = []
    for plan in plans:
        if plan.action == "unchanged":
            continue
        if plan.action == "create":
            applied = create(api, plan.desired, describe(plan.desired))
        else:
            applied = update(api, plan, describe(plan.desired))
        done.append(applied)
        if on_applied is not None:
            on_applied(applied)
    return done
