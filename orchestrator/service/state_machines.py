"""State machine actions: Create / Describe / Update / Delete / List, and tags.

CreateStateMachine is idempotent as AWS documents it: "idempotency check is based on the state machine
name, definition, type, LoggingConfiguration, TracingConfiguration ... If a following request has a
different roleArn or tags, Step Functions will ignore these differences"; any other difference is
``StateMachineAlreadyExists``.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime
from typing import Any

from orchestrator.errors import ApiError
from orchestrator.service import arns, definitions, params, shapes
from orchestrator.service.context import RequestContext
from orchestrator.service.pagination import paginate
from orchestrator.service.versions import VersionActions
from orchestrator.store.activities import ActivityRecord
from orchestrator.store.records import StateMachineRecord

TYPES = ("STANDARD", "EXPRESS")
LOG_LEVELS = ("ALL", "ERROR", "FATAL", "OFF")
MAX_TAGS = 50
INVALID_LOGGING = "Invalid Logging Configuration: Must specify exactly one Log Destination."


def logging_configuration(value: Any) -> dict[str, Any]:
    """A ``loggingConfiguration`` with AWS's defaults; a level other than OFF needs one destination."""
    if value is None:
        return {"level": "OFF", "includeExecutionData": False}
    if not isinstance(value, dict):
        raise ApiError("SerializationException", "Expected an object for 'loggingConfiguration'")
    level = params.enum(value, "level", LOG_LEVELS, default="OFF")
    destinations = value.get("destinations") or []
    if len(destinations) > 1 or (level != "OFF" and not destinations):
        raise ApiError("InvalidLoggingConfiguration", INVALID_LOGGING)
    out: dict[str, Any] = {
        "level": level,
        "includeExecutionData": bool(value.get("includeExecutionData", False)),
    }
    if destinations:
        out["destinations"] = destinations
    return out


def tracing_configuration(value: Any) -> dict[str, Any]:
    if value is None:
        return {"enabled": False}
    if not isinstance(value, dict):
        raise ApiError("SerializationException", "Expected an object for 'tracingConfiguration'")
    return {"enabled": bool(value.get("enabled", False))}


def tag_dict(tags: Any) -> dict[str, str]:
    """AWS's ``[{"key": k, "value": v}]`` as a dict."""
    if not isinstance(tags, list):
        raise ApiError("SerializationException", "Expected a list for 'tags'")
    out = {str(t.get("key")): str(t.get("value", "")) for t in tags if isinstance(t, dict)}
    if len(out) > MAX_TAGS:
        raise ApiError("TooManyTags", f"Too many tags: a resource can have at most {MAX_TAGS} tags")
    return out


def check_version_description(request: dict[str, Any]) -> tuple[bool, str | None]:
    publish = params.boolean(request, "publish")
    description = params.string(request, "versionDescription")
    if description and not publish:
        raise ApiError("ValidationException", "Version description can only be set when publish is true")
    return publish, description


class StateMachineActions(VersionActions):
    def create_state_machine(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        ctx = self.context(ctx)
        publish, version_description = check_version_description(request)
        name = arns.validate_name(params.string(request, "name", required_=True))
        text = params.max_length(
            params.string(request, "definition", required_=True), "definition", definitions.MAX_LENGTH
        )
        role_arn = arns.validate_role_arn(params.string(request, "roleArn", required_=True))
        machine_type = params.enum(request, "type", TYPES, default="STANDARD") or "STANDARD"
        logging = logging_configuration(request.get("loggingConfiguration"))
        tracing = tracing_configuration(request.get("tracingConfiguration"))
        tags = tag_dict(request.get("tags") or [])
        assert text is not None
        self.check_definition(text, machine_type)
        arn = arns.state_machine_arn(name, ctx.region, ctx.account_id)
        with self._lock:
            existing = self.store.get_state_machine(arn)
            if existing is not None:
                same = (
                    existing.definition,
                    existing.type,
                    existing.logging_configuration,
                    existing.tracing_configuration,
                ) == (text, machine_type, logging, tracing)
                if not same:
                    raise ApiError("StateMachineAlreadyExists", f"State Machine Already Exists: '{arn}'")
                return self._created(existing, publish, version_description)
            record = StateMachineRecord(
                arn=arn,
                name=name,
                definition=text,
                role_arn=role_arn,
                type=machine_type,
                logging_configuration=logging,
                tracing_configuration=tracing,
                tags=tags,
            )
            self.store.put_state_machine(record)
            return self._created(record, publish, version_description)

    def _created(self, record: StateMachineRecord, publish: bool, description: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "stateMachineArn": record.arn,
            "creationDate": shapes.epoch(record.creation_date),
        }
        if publish:
            out["stateMachineVersionArn"] = self.publish_version(record, description).arn
        return out

    def check_definition(self, text: str, machine_type: str) -> dict[str, Any]:
        """Validate a definition and that every Task resource can run here (``InvalidDefinition``)."""
        document = definitions.check(text, machine_type)
        if self.resolver is not None:
            problem = definitions.resource_problems(document, self.resolver.check)
            if problem is not None:
                raise ApiError("InvalidDefinition", problem)
        return document

    def describe_state_machine(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        arn = params.required(request, "stateMachineArn")
        arns.parse_state_machine(arn)
        return shapes.state_machine_description(self.machine(arn))

    def update_state_machine(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        arn = params.required(request, "stateMachineArn")
        arns.parse_state_machine(arn, qualified=False)
        publish, version_description = check_version_description(request)
        members = ("definition", "roleArn", "loggingConfiguration", "tracingConfiguration")
        if all(request.get(m) is None for m in members):
            raise ApiError(
                "MissingRequiredParameter",
                "Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration "
                "must be specified",
            )
        with self._lock:
            current = self.machine(arn)
            changes: dict[str, Any] = {}
            text = params.max_length(
                params.string(request, "definition"), "definition", definitions.MAX_LENGTH
            )
            if text is not None:
                self.check_definition(text, current.type)
                changes["definition"] = text
            if (role := params.string(request, "roleArn")) is not None:
                changes["role_arn"] = arns.validate_role_arn(role)
            if request.get("loggingConfiguration") is not None:
                changes["logging_configuration"] = logging_configuration(request["loggingConfiguration"])
            if request.get("tracingConfiguration") is not None:
                changes["tracing_configuration"] = tracing_configuration(request["tracingConfiguration"])
            changed = any(getattr(current, k) != v for k, v in changes.items())
            revision = str(uuid.uuid4()) if changed or current.revision_id is None else current.revision_id
            updated = dataclasses.replace(current, revision_id=revision, **changes)
            self.store.put_state_machine(updated)
            out: dict[str, Any] = {
                "updateDate": shapes.epoch(datetime.now().astimezone()),
                "revisionId": revision,
            }
            if publish:
                out["stateMachineVersionArn"] = self.publish_version(updated, version_description).arn
            return out

    def delete_state_machine(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        """Deletes the machine, its versions and aliases; AWS answers 200 for an unknown machine too."""
        arn = params.required(request, "stateMachineArn")
        arns.parse_state_machine(arn, qualified=False)
        with self._lock:
            for version in self.versions_of(arn):
                self.store.delete_state_machine(version.arn)
            for alias in self.store.list_aliases():
                if alias.state_machine_arn == arn:
                    self.store.delete_alias(alias.arn)
            self.store.delete_state_machine(arn)
        return {}

    def list_state_machines(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        machines = sorted(
            (m for m in self.store.list_state_machines() if arns.parse(m.arn).qualifier is None),
            key=lambda m: m.name,
        )
        page, token = paginate(machines, request, scope="ListStateMachines", key=lambda m: m.name)
        out: dict[str, Any] = {"stateMachines": [shapes.state_machine_list_item(m) for m in page]}
        if token:
            out["nextToken"] = token
        return out

    # tags ---------------------------------------------------------------------------------------

    def _tagged(self, request: dict[str, Any]) -> StateMachineRecord | ActivityRecord:
        """The state machine or activity a tag action names (``ResourceNotFound`` otherwise)."""
        arn = params.required(request, "resourceArn")
        parsed = arns.parse(arn)
        record: StateMachineRecord | ActivityRecord | None = (
            self.store.get_activity(arn)
            if parsed.resource_type == "activity"
            else self.store.get_state_machine(arn)
        )
        if record is None:
            raise ApiError("ResourceNotFound", f"Resource not found: '{arn}'")
        return record

    def _retag(self, record: StateMachineRecord | ActivityRecord, tags: dict[str, str]) -> None:
        if isinstance(record, ActivityRecord):
            self.store.put_activity(dataclasses.replace(record, tags=tags))
        else:
            self.store.put_state_machine(dataclasses.replace(record, tags=tags))

    def tag_resource(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        with self._lock:
            record = self._tagged(request)
            tags = {**record.tags, **tag_dict(params.required(request, "tags"))}
            if len(tags) > MAX_TAGS:
                raise ApiError("TooManyTags", f"Too many tags: a resource can have at most {MAX_TAGS} tags")
            self._retag(record, tags)
        return {}

    def untag_resource(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        with self._lock:
            record = self._tagged(request)
            keys = set(params.required(request, "tagKeys"))
            self._retag(record, {k: v for k, v in record.tags.items() if k not in keys})
        return {}

    def list_tags_for_resource(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        record = self._tagged(request)
        return {"tags": [{"key": k, "value": v} for k, v in record.tags.items()]}
