"""State machine versions and aliases.

A version is an immutable copy of a state machine, stored as a record under the qualified ARN
``<state machine ARN>:<n>``; publishing an unchanged revision again returns the existing version, as
AWS does. An alias (``<state machine ARN>:<name>``) routes executions to one or two versions by
weight. Aliases live in the service until the Store protocol grows a place for them.
"""

from __future__ import annotations

import dataclasses
import random
import re
from datetime import datetime
from typing import Any

from orchestrator.errors import ApiError
from orchestrator.service import arns, params, shapes
from orchestrator.service.base import ServiceBase
from orchestrator.service.context import RequestContext
from orchestrator.service.pagination import paginate
from orchestrator.store.aliases import Alias
from orchestrator.store.records import StateMachineRecord

ALIAS_NAME = re.compile(r"^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]+$")


def _content(record: StateMachineRecord) -> tuple[Any, ...]:
    return (record.definition, record.role_arn, record.logging_configuration, record.tracing_configuration)


class VersionActions(ServiceBase):
    # versions -----------------------------------------------------------------------------------

    def versions_of(self, machine_arn: str) -> list[StateMachineRecord]:
        """The versions of a state machine, newest first."""
        prefix = machine_arn + ":"
        found = [m for m in self.store.list_state_machines() if m.arn.startswith(prefix)]
        return sorted(found, key=lambda m: int(m.arn.rsplit(":", 1)[1]), reverse=True)

    def publish_version(self, machine: StateMachineRecord, description: str | None) -> StateMachineRecord:
        with self._lock:
            versions = self.versions_of(machine.arn)
            if versions and _content(versions[0]) == _content(machine):
                return versions[0]
            number = int(versions[0].arn.rsplit(":", 1)[1]) + 1 if versions else 1
            version = dataclasses.replace(
                machine,
                arn=f"{machine.arn}:{number}",
                description=description or "",
                creation_date=datetime.now().astimezone(),
                tags={},
            )
            self.store.put_state_machine(version)
            return version

    def publish_state_machine_version(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        arn = params.required(request, "stateMachineArn")
        arns.parse_state_machine(arn, qualified=False)
        machine = self.machine(arn)
        revision = params.string(request, "revisionId")
        if revision is not None and revision != machine.revision_id:
            raise ApiError(
                "ConflictException",
                f"Failed to publish the State Machine version for revision {revision}. "
                f"The current State Machine revision is {machine.revision_id}.",
            )
        version = self.publish_version(machine, params.string(request, "description"))
        return {"creationDate": shapes.epoch(version.creation_date), "stateMachineVersionArn": version.arn}

    def list_state_machine_versions(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        arn = params.required(request, "stateMachineArn")
        arns.parse_state_machine(arn, qualified=False)
        self.machine(arn)
        versions = self.versions_of(arn)
        page, token = paginate(versions, request, scope=f"Versions:{arn}", key=lambda v: v.arn)
        out: dict[str, Any] = {
            "stateMachineVersions": [
                {"stateMachineVersionArn": v.arn, "creationDate": shapes.epoch(v.creation_date)} for v in page
            ]
        }
        if token:
            out["nextToken"] = token
        return out

    def delete_state_machine_version(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        arn = params.required(request, "stateMachineVersionArn")
        arns.parse_state_machine(arn)
        with self._lock:
            users = [
                a.name
                for a in self.store.list_aliases()
                if any(r["stateMachineVersionArn"] == arn for r in a.routing)
            ]
            if users:
                raise ApiError(
                    "ConflictException",
                    "Version to be deleted must not be referenced by an alias. "
                    f"Current list of aliases referencing this version: [{', '.join(users)}]",
                )
            self.store.delete_state_machine(arn)
        return {}

    # aliases ------------------------------------------------------------------------------------

    def _routing(self, routing: Any) -> tuple[str, list[dict[str, Any]]]:
        """Check a ``routingConfiguration``; returns the state machine ARN it routes for."""
        if not isinstance(routing, list) or not all(isinstance(r, dict) for r in routing):
            raise ApiError("SerializationException", "Expected a list of objects for 'routingConfiguration'")
        if not 1 <= len(routing) <= 2:
            raise params.validation_error(
                routing, "routingConfiguration", "Member must have length less than or equal to 2"
            )
        targets = [str(r.get("stateMachineVersionArn")) for r in routing]
        if len(set(targets)) < len(targets):
            raise ApiError(
                "ValidationException",
                f"Routing configuration must contain distinct state machine version ARNs. Received: [{', '.join(targets)}]",
            )
        weights = [r.get("weight") for r in routing]
        if sum(w for w in weights if isinstance(w, int)) != 100:
            raise ApiError(
                "ValidationException",
                f"Sum of routing configuration weights must equal 100. Received: {weights}",
            )
        machines = set()
        for target in targets:
            parsed = arns.parse_state_machine(target)
            if (
                parsed.qualifier is None
                or not parsed.qualifier.isdigit()
                or self.store.get_state_machine(target) is None
            ):
                raise ApiError(
                    "ValidationException",
                    f"Routing configuration must contain state machine version ARNs. Received: [{', '.join(targets)}]",
                )
            machines.add(parsed.base())
        if len(machines) != 1:
            raise ApiError(
                "ValidationException", "Routing configuration must route to versions of one state machine"
            )
        clean = [{"stateMachineVersionArn": t, "weight": w} for t, w in zip(targets, weights, strict=True)]
        return machines.pop(), clean

    def create_state_machine_alias(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        name = params.string(request, "name", required_=True)
        assert name is not None
        params.max_length(name, "name", arns.NAME_MAX_LENGTH)
        if not ALIAS_NAME.match(name):
            raise params.validation_error(
                name,
                "name",
                "Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$",
            )
        machine_arn, routing = self._routing(params.required(request, "routingConfiguration"))
        arn = f"{machine_arn}:{name}"
        description = params.string(request, "description") or ""
        with self._lock:
            existing = self.store.get_alias(arn)
            if existing is not None:
                if existing.routing != routing or existing.description != description:
                    raise ApiError(
                        "ConflictException",
                        "Failed to create alias because an alias with the same name and a different routing "
                        "configuration already exists.",
                    )
                alias = existing
            else:
                alias = Alias(arn, name, machine_arn, routing, description)
                self.store.put_alias(alias)
        return {"stateMachineAliasArn": alias.arn, "creationDate": shapes.epoch(alias.creation_date)}

    def _alias(self, request: dict[str, Any]) -> Alias:
        arn = params.required(request, "stateMachineAliasArn")
        arns.parse_state_machine(arn)
        alias = self.store.get_alias(arn)
        if alias is None:
            raise ApiError("ResourceNotFound", "Request references a resource that does not exist.")
        return alias

    def describe_state_machine_alias(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        alias = self._alias(request)
        out: dict[str, Any] = {
            "stateMachineAliasArn": alias.arn,
            "name": alias.name,
            "routingConfiguration": [dict(r) for r in alias.routing],
            "creationDate": shapes.epoch(alias.creation_date),
            "updateDate": shapes.epoch(alias.update_date or alias.creation_date),
        }
        if alias.description:
            out["description"] = alias.description
        return out

    def update_state_machine_alias(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        if request.get("description") is None and request.get("routingConfiguration") is None:
            raise ApiError(
                "MissingRequiredParameter",
                "Either the description or the RoutingConfiguration must be specified",
            )
        with self._lock:
            alias = self._alias(request)
            if request.get("routingConfiguration") is not None:
                _machine, alias.routing = self._routing(request["routingConfiguration"])
            if request.get("description") is not None:
                alias.description = str(request["description"])
            alias.update_date = datetime.now().astimezone()
            self.store.put_alias(alias)
        return {"updateDate": shapes.epoch(alias.update_date)}

    def delete_state_machine_alias(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        arn = params.required(request, "stateMachineAliasArn")
        arns.parse_state_machine(arn)
        with self._lock:
            self.store.delete_alias(arn)
        return {}

    def list_state_machine_aliases(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        arn = params.required(request, "stateMachineArn")
        arns.parse_state_machine(arn, qualified=False)
        self.machine(arn)
        aliases = sorted(
            (a for a in self.store.list_aliases() if a.state_machine_arn == arn), key=lambda a: a.name
        )
        page, token = paginate(aliases, request, scope=f"Aliases:{arn}", key=lambda a: a.arn)
        out: dict[str, Any] = {
            "stateMachineAliases": [
                {"stateMachineAliasArn": a.arn, "creationDate": shapes.epoch(a.creation_date)} for a in page
            ]
        }
        if token:
            out["nextToken"] = token
        return out

    # what StartExecution runs ---------------------------------------------------------------------

    def resolve_target(self, arn: object) -> tuple[StateMachineRecord, str, dict[str, str]]:
        """The record to run for a state machine, version or alias ARN, the unqualified state machine
        ARN, and the ``stateMachineVersionArn``/``stateMachineAliasArn`` the execution reports."""
        parsed = arns.parse_state_machine(arn)
        assert isinstance(arn, str)
        qualifier = parsed.qualifier
        if qualifier is None:
            return self.machine(arn), arn, {}
        if qualifier.isdigit():
            return self.machine(arn), parsed.base(), {"stateMachineVersionArn": arn}
        alias = self.store.get_alias(arn)
        if alias is None:
            raise ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
        choice = random.choices(alias.routing, weights=[r["weight"] for r in alias.routing])[0]
        version_arn = choice["stateMachineVersionArn"]
        return (
            self.machine(version_arn),
            parsed.base(),
            {"stateMachineAliasArn": arn, "stateMachineVersionArn": version_arn},
        )
