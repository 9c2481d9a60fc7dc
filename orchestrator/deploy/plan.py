"""The plan: for each wanted machine, create it, update it, or leave it alone, and why.

Definitions are compared as JSON values, so re-indenting a file changes nothing; the settings compared
are the type, role ARN, logging and tracing configurations, and tags. Tags are the declared set: a
deployed tag the directory does not declare is removed, except AWS's reserved ``aws:`` ones. A type
change cannot be an update (UpdateStateMachine has no ``type``): the plan refuses it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from orchestrator.deploy.deployed import DeployedMachine
from orchestrator.deploy.project import DesiredMachine

Action = Literal["create", "update", "unchanged"]
RESERVED_TAG_PREFIX = "aws:"


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def pretty(text: str) -> list[str]:
    """A definition as indented JSON lines (the text itself when it is not JSON)."""
    value = _json(text)
    shown = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)
    return shown.splitlines(keepends=True)


@dataclass(frozen=True)
class MachinePlan:
    """What deploy does to one machine."""

    desired: DesiredMachine
    deployed: DeployedMachine | None
    action: Action
    changes: tuple[str, ...] = ()
    """The API members that differ: ``definition``, ``roleArn``, ``loggingConfiguration``,
    ``tracingConfiguration``; ``tags`` (applied with TagResource/UntagResource, no new version)."""
    tags_to_set: dict[str, str] = field(default_factory=dict)
    tags_to_remove: tuple[str, ...] = ()
    problem: str | None = None
    """Why this machine cannot be deployed as it is (a type change); the whole plan is then refused."""

    @property
    def updates_machine(self) -> bool:
        """Whether UpdateStateMachine (and so a new version) is needed, not just tags."""
        return any(change != "tags" for change in self.changes)

    def diff(self) -> str:
        """A unified diff of the definition, deployed → desired, as indented JSON ('' when equal)."""
        before = pretty(self.deployed.definition) if self.deployed is not None else []
        after = pretty(self.desired.definition)
        if self.deployed is not None and "definition" not in self.changes:
            return ""
        lines = difflib.unified_diff(
            before,
            after,
            fromfile=f"deployed/{self.desired.name}" if self.deployed else "/dev/null",
            tofile=self.desired.file,
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _tag_changes(
    desired: Mapping[str, str], deployed: Mapping[str, str]
) -> tuple[dict[str, str], tuple[str, ...]]:
    to_set = {k: v for k, v in desired.items() if deployed.get(k) != v}
    to_remove = tuple(
        sorted(k for k in deployed if k not in desired and not k.startswith(RESERVED_TAG_PREFIX))
    )
    return to_set, to_remove


def plan_machine(desired: DesiredMachine, deployed: DeployedMachine | None) -> MachinePlan:
    """Compare one wanted machine with what is deployed under its name."""
    if deployed is None:
        return MachinePlan(desired, None, "create", ("definition",), dict(desired.tags))
    compared = (
        ("definition", _json(desired.definition), _json(deployed.definition)),
        ("roleArn", desired.role_arn, deployed.role_arn),
        ("loggingConfiguration", desired.logging, deployed.logging),
        ("tracingConfiguration", desired.tracing, deployed.tracing),
    )
    changes = [member for member, want, have in compared if want != have]
    to_set, to_remove = _tag_changes(desired.tags, deployed.tags)
    if to_set or to_remove:
        changes.append("tags")
    problem = None
    if desired.type != deployed.type:
        problem = (
            f"{desired.name} is {deployed.type}, {desired.file} wants {desired.type}: the type of a state "
            "machine cannot be updated; delete it first to recreate it"
        )
    action: Action = "update" if changes else "unchanged"
    return MachinePlan(desired, deployed, action, tuple(changes), to_set, to_remove, problem)


def make_plan(desired: list[DesiredMachine], deployed: Mapping[str, DeployedMachine]) -> list[MachinePlan]:
    """The plan of every wanted machine, in the directory's order."""
    return [plan_machine(machine, deployed.get(machine.name)) for machine in desired]
