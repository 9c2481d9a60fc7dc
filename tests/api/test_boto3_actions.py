"""Every action of botocore's Step Functions model, through boto3, against the HTTP server.

Each action is called once as it should succeed and once as AWS refuses it. The raw JSON answer is
checked against the model's output shape (every member known to the model, required members present,
JSON types and enums right); the refusal's code must be one of the action's modelled errors.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError
from botocore.model import OperationModel, Shape

from orchestrator.service import ACTIONS
from orchestrator.service.embedded import embedded_service
from tests.api.conftest import RunningServer

MODEL = botocore.session.get_session().get_service_model("stepfunctions")
ROLE = "arn:aws:iam::111111111111:role/r"
REGION_ACCOUNT = "us-east-1:111111111111"
MISSING_MACHINE = f"arn:aws:states:{REGION_ACCOUNT}:stateMachine:missing"
MISSING_EXECUTION = f"arn:aws:states:{REGION_ACCOUNT}:execution:missing:e"
MISSING_ACTIVITY = f"arn:aws:states:{REGION_ACCOUNT}:activity:missing"
MISSING_MAP_RUN = f"arn:aws:states:{REGION_ACCOUNT}:mapRun:missing/Map:0b1f-missing"

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
FAIL = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "on purpose"}}}
CALLBACK = {
    "StartAt": "Wait for token",
    "States": {
        "Wait for token": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "hand_out", "Payload": {"token.$": "$$.Task.Token"}},
            "End": True,
        }
    },
}
DISTRIBUTED_MAP = {
    "StartAt": "Map",
    "States": {
        "Map": {
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Hold",
                "States": {"Hold": {"Type": "Wait", "Seconds": 3600, "End": True}},
            },
            "MaxConcurrency": 1,
            "End": True,
        }
    },
}
TASKS = """
from workers import task


@task
def hand_out(event):
    return {"handed_out": True}
"""


# ---- the model ---------------------------------------------------------------------------------


def shape_problems(shape: Shape, value: Any, where: str) -> list[str]:
    """Where the JSON ``value`` does not fit the model's ``shape`` (empty when it fits)."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {value!r}"]
        problems = [f"{where}.{name}: missing" for name in shape.required_members if name not in value]
        for name, item in value.items():
            member = shape.members.get(name)
            if member is None:
                problems.append(f"{where}.{name}: not in the model")
            else:
                problems += shape_problems(member, item, f"{where}.{name}")
        return problems
    if kind == "list":
        if not isinstance(value, list):
            return [f"{where}: expected a list"]
        return [
            p for i, item in enumerate(value) for p in shape_problems(shape.member, item, f"{where}[{i}]")
        ]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{where}: expected a map"]
        return [p for k, item in value.items() for p in shape_problems(shape.value, item, f"{where}.{k}")]
    expected: Any = {
        "string": str,
        "boolean": bool,
        "integer": int,
        "long": int,
        "float": (int, float),
        "double": (int, float),
        "timestamp": (int, float),
    }[kind]
    if not isinstance(value, expected) or (kind != "boolean" and isinstance(value, bool)):
        return [f"{where}: expected {kind}, got {value!r}"]
    if kind == "string" and shape.enum and value not in shape.enum:
        return [f"{where}: {value!r} is not one of {shape.enum}"]
    return []


class Recorder:
    """The raw body of the last answer, captured before botocore parses it."""

    def __init__(self) -> None:
        self.body: bytes = b""

    def __call__(self, response_dict: dict[str, Any], **_: Any) -> None:
        self.body = response_dict["body"]


# ---- the world the actions run in --------------------------------------------------------------


class World:
    """A server and a boto3 client, with helpers that make what an action needs."""

    def __init__(self, server: RunningServer) -> None:
        self.sfn = server.client(read_timeout=30)
        self.raw = Recorder()
        self.sfn.meta.events.register("before-parse.states", self.raw)
        self.counter = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def machine(self, definition: dict[str, Any] = PASS, **extra: Any) -> str:
        created = self.sfn.create_state_machine(
            name=self.name("m"), definition=json.dumps(definition), roleArn=ROLE, **extra
        )
        return str(created["stateMachineArn"])

    def version(self) -> str:
        return str(
            self.sfn.publish_state_machine_version(stateMachineArn=self.machine())["stateMachineVersionArn"]
        )

    def alias(self) -> str:
        routing = [{"stateMachineVersionArn": self.version(), "weight": 100}]
        created = self.sfn.create_state_machine_alias(name=self.name("a"), routingConfiguration=routing)
        return str(created["stateMachineAliasArn"])

    def activity(self) -> str:
        return str(self.sfn.create_activity(name=self.name("act"))["activityArn"])

    def execution(self, definition: dict[str, Any] = PASS) -> str:
        arn = self.sfn.start_execution(stateMachineArn=self.machine(definition), input="{}")["executionArn"]
        return str(arn)

    def finished(self, arn: str) -> dict[str, Any]:
        return self.until(
            lambda: (d := self.sfn.describe_execution(executionArn=arn))["status"] != "RUNNING" and d
        )

    def token(self) -> str:
        """A task token of a running ``.waitForTaskToken`` task (read from its TaskScheduled event)."""
        arn = self.execution(CALLBACK)

        def scheduled() -> Any:
            for event in self.sfn.get_execution_history(executionArn=arn)["events"]:
                if event["type"] == "TaskScheduled":
                    return json.loads(event["taskScheduledEventDetails"]["parameters"])["Payload"]["token"]
            return None

        return str(self.until(scheduled))

    def activity_with_task(self) -> str:
        activity = self.activity()
        definition = {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": activity, "End": True}}}
        self.execution(definition)
        return activity

    def map_execution(self) -> str:
        """A running execution whose DISTRIBUTED Map has started its map run (its items wait an hour)."""
        arn = str(self.execution_of(DISTRIBUTED_MAP, "[1, 2]"))
        self.until(lambda: self.sfn.list_map_runs(executionArn=arn)["mapRuns"])
        return arn

    def map_run(self) -> str:
        return str(self.sfn.list_map_runs(executionArn=self.map_execution())["mapRuns"][0]["mapRunArn"])

    def execution_of(self, definition: dict[str, Any], input: str) -> str:
        machine = self.machine(definition)
        return str(self.sfn.start_execution(stateMachineArn=machine, input=input)["executionArn"])

    @staticmethod
    def until(probe: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + 10
        while not (found := probe()):
            assert time.monotonic() < deadline, "gave up waiting"
            time.sleep(0.02)
        return found


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    module = tmp_path_factory.mktemp("tasks") / "api_action_tasks.py"
    module.write_text(TASKS)
    service = embedded_service(task_modules=[str(module)], account_id="111111111111")
    try:
        with RunningServer(service) as server:
            yield World(server)
    finally:
        service.close()


# ---- one call that succeeds per action ---------------------------------------------------------

SUCCEEDS: dict[str, Callable[[World], dict[str, Any]]] = {
    "CreateActivity": lambda w: w.sfn.create_activity(name=w.name("act"), tags=[{"key": "k", "value": "v"}]),
    "CreateStateMachine": lambda w: w.sfn.create_state_machine(
        name=w.name("m"), definition=json.dumps(PASS), roleArn=ROLE, publish=True, versionDescription="v1"
    ),
    "CreateStateMachineAlias": lambda w: w.sfn.create_state_machine_alias(
        name=w.name("a"), routingConfiguration=[{"stateMachineVersionArn": w.version(), "weight": 100}]
    ),
    "DeleteActivity": lambda w: w.sfn.delete_activity(activityArn=w.activity()),
    "DeleteStateMachine": lambda w: w.sfn.delete_state_machine(stateMachineArn=w.machine()),
    "DeleteStateMachineAlias": lambda w: w.sfn.delete_state_machine_alias(stateMachineAliasArn=w.alias()),
    "DeleteStateMachineVersion": lambda w: w.sfn.delete_state_machine_version(
        stateMachineVersionArn=w.version()
    ),
    "DescribeActivity": lambda w: w.sfn.describe_activity(activityArn=w.activity()),
    "DescribeExecution": lambda w: w.finished(w.execution(FAIL)),
    "DescribeMapRun": lambda w: w.sfn.describe_map_run(mapRunArn=w.map_run()),
    "DescribeStateMachine": lambda w: w.sfn.describe_state_machine(stateMachineArn=w.machine()),
    "DescribeStateMachineAlias": lambda w: w.sfn.describe_state_machine_alias(stateMachineAliasArn=w.alias()),
    "DescribeStateMachineForExecution": lambda w: w.sfn.describe_state_machine_for_execution(
        executionArn=w.execution()
    ),
    "GetActivityTask": lambda w: w.sfn.get_activity_task(activityArn=w.activity_with_task(), workerName="w"),
    "GetExecutionHistory": lambda w: w.sfn.get_execution_history(
        executionArn=w.execution(), maxResults=1, includeExecutionData=True
    ),
    "ListActivities": lambda w: (w.activity(), w.sfn.list_activities(maxResults=1))[1],
    "ListExecutions": lambda w: w.sfn.list_executions(
        stateMachineArn=w.finished(w.execution())["stateMachineArn"]
    ),
    "ListMapRuns": lambda w: w.sfn.list_map_runs(executionArn=w.map_execution()),
    "ListStateMachineAliases": lambda w: w.sfn.list_state_machine_aliases(
        stateMachineArn=w.alias().rsplit(":", 1)[0]
    ),
    "ListStateMachineVersions": lambda w: w.sfn.list_state_machine_versions(
        stateMachineArn=w.version().rsplit(":", 1)[0]
    ),
    "ListStateMachines": lambda w: (w.machine(), w.sfn.list_state_machines(maxResults=1))[1],
    "ListTagsForResource": lambda w: w.sfn.list_tags_for_resource(
        resourceArn=w.machine(tags=[{"key": "team", "value": "core"}])
    ),
    "PublishStateMachineVersion": lambda w: w.sfn.publish_state_machine_version(
        stateMachineArn=w.machine(), description="first"
    ),
    "RedriveExecution": lambda w: w.sfn.redrive_execution(
        executionArn=w.finished(w.execution(FAIL))["executionArn"]
    ),
    "SendTaskFailure": lambda w: w.sfn.send_task_failure(taskToken=w.token(), error="E", cause="c"),
    "SendTaskHeartbeat": lambda w: w.sfn.send_task_heartbeat(taskToken=w.token()),
    "SendTaskSuccess": lambda w: w.sfn.send_task_success(taskToken=w.token(), output='{"ok": true}'),
    "StartExecution": lambda w: w.sfn.start_execution(stateMachineArn=w.machine(), name="e", input="{}"),
    "StartSyncExecution": lambda w: w.sfn.start_sync_execution(
        stateMachineArn=w.machine(type="EXPRESS"), input='{"a": 1}', traceHeader="Root=1"
    ),
    "StopExecution": lambda w: w.sfn.stop_execution(executionArn=w.execution(CALLBACK), error="E", cause="c"),
    "TagResource": lambda w: w.sfn.tag_resource(resourceArn=w.machine(), tags=[{"key": "k", "value": "v"}]),
    "TestState": lambda w: w.sfn.test_state(
        definition='{"Type": "Pass", "Result": {"r": 1}, "End": true}',
        roleArn=ROLE,
        input="{}",
        inspectionLevel="DEBUG",
    ),
    "UntagResource": lambda w: w.sfn.untag_resource(
        resourceArn=w.machine(tags=[{"key": "k", "value": "v"}]), tagKeys=["k"]
    ),
    "UpdateMapRun": lambda w: w.sfn.update_map_run(mapRunArn=w.map_run(), maxConcurrency=2),
    "UpdateStateMachine": lambda w: w.sfn.update_state_machine(
        stateMachineArn=w.machine(), definition=json.dumps(FAIL), publish=True
    ),
    "UpdateStateMachineAlias": lambda w: w.sfn.update_state_machine_alias(
        stateMachineAliasArn=w.alias(), description="moved"
    ),
    "ValidateStateMachineDefinition": lambda w: w.sfn.validate_state_machine_definition(
        definition='{"StartAt": "A", "States": {}}', type="STANDARD"
    ),
}

# ---- one refusal per action: (call, expected code) ----------------------------------------------

FAILS: dict[str, tuple[Callable[[World], Any], str]] = {
    "CreateActivity": (lambda w: w.sfn.create_activity(name="bad name?"), "InvalidName"),
    "CreateStateMachine": (
        lambda w: w.sfn.create_state_machine(name="bad", definition='{"StartAt": "A"}', roleArn=ROLE),
        "InvalidDefinition",
    ),
    "CreateStateMachineAlias": (
        lambda w: w.sfn.create_state_machine_alias(
            name="a",
            routingConfiguration=[{"stateMachineVersionArn": MISSING_MACHINE + ":7", "weight": 100}],
        ),
        "ValidationException",
    ),
    "DeleteActivity": (lambda w: w.sfn.delete_activity(activityArn="not-an-arn"), "InvalidArn"),
    "DeleteStateMachine": (lambda w: w.sfn.delete_state_machine(stateMachineArn="not-an-arn"), "InvalidArn"),
    "DeleteStateMachineAlias": (
        lambda w: w.sfn.delete_state_machine_alias(stateMachineAliasArn="not-an-arn"),
        "InvalidArn",
    ),
    "DeleteStateMachineVersion": (
        lambda w: w.sfn.delete_state_machine_version(stateMachineVersionArn="not-an-arn"),
        "InvalidArn",
    ),
    "DescribeActivity": (
        lambda w: w.sfn.describe_activity(activityArn=MISSING_ACTIVITY),
        "ActivityDoesNotExist",
    ),
    "DescribeExecution": (
        lambda w: w.sfn.describe_execution(executionArn=MISSING_EXECUTION),
        "ExecutionDoesNotExist",
    ),
    "DescribeMapRun": (lambda w: w.sfn.describe_map_run(mapRunArn=MISSING_MAP_RUN), "ResourceNotFound"),
    "DescribeStateMachine": (
        lambda w: w.sfn.describe_state_machine(stateMachineArn=MISSING_MACHINE),
        "StateMachineDoesNotExist",
    ),
    "DescribeStateMachineAlias": (
        lambda w: w.sfn.describe_state_machine_alias(stateMachineAliasArn=MISSING_MACHINE + ":nope"),
        "ResourceNotFound",
    ),
    "DescribeStateMachineForExecution": (
        lambda w: w.sfn.describe_state_machine_for_execution(executionArn=MISSING_EXECUTION),
        "ExecutionDoesNotExist",
    ),
    "GetActivityTask": (
        lambda w: w.sfn.get_activity_task(activityArn=MISSING_ACTIVITY),
        "ActivityDoesNotExist",
    ),
    "GetExecutionHistory": (
        lambda w: w.sfn.get_execution_history(executionArn=MISSING_EXECUTION),
        "ExecutionDoesNotExist",
    ),
    "ListActivities": (lambda w: w.sfn.list_activities(nextToken="not-a-token"), "InvalidToken"),
    "ListExecutions": (
        lambda w: w.sfn.list_executions(stateMachineArn=MISSING_MACHINE),
        "StateMachineDoesNotExist",
    ),
    "ListMapRuns": (lambda w: w.sfn.list_map_runs(executionArn=MISSING_EXECUTION), "ExecutionDoesNotExist"),
    "ListStateMachineAliases": (
        lambda w: w.sfn.list_state_machine_aliases(stateMachineArn=MISSING_MACHINE),
        "StateMachineDoesNotExist",
    ),
    "ListStateMachineVersions": (
        lambda w: w.sfn.list_state_machine_versions(stateMachineArn="not-an-arn"),
        "InvalidArn",
    ),
    "ListStateMachines": (lambda w: w.sfn.list_state_machines(nextToken="not-a-token"), "InvalidToken"),
    "ListTagsForResource": (
        lambda w: w.sfn.list_tags_for_resource(resourceArn=MISSING_MACHINE),
        "ResourceNotFound",
    ),
    "PublishStateMachineVersion": (
        lambda w: w.sfn.publish_state_machine_version(stateMachineArn=MISSING_MACHINE),
        "StateMachineDoesNotExist",
    ),
    "RedriveExecution": (
        lambda w: w.sfn.redrive_execution(executionArn=MISSING_EXECUTION),
        "ExecutionDoesNotExist",
    ),
    "SendTaskFailure": (lambda w: w.sfn.send_task_failure(taskToken="not-a-token"), "InvalidToken"),
    "SendTaskHeartbeat": (lambda w: w.sfn.send_task_heartbeat(taskToken="not-a-token"), "InvalidToken"),
    "SendTaskSuccess": (
        lambda w: w.sfn.send_task_success(taskToken="not-a-token", output="{}"),
        "InvalidToken",
    ),
    "StartExecution": (
        lambda w: w.sfn.start_execution(stateMachineArn=MISSING_MACHINE),
        "StateMachineDoesNotExist",
    ),
    "StartSyncExecution": (
        lambda w: w.sfn.start_sync_execution(stateMachineArn=w.machine()),
        "StateMachineTypeNotSupported",
    ),
    "StopExecution": (
        lambda w: w.sfn.stop_execution(executionArn=MISSING_EXECUTION),
        "ExecutionDoesNotExist",
    ),
    "TagResource": (
        lambda w: w.sfn.tag_resource(resourceArn=MISSING_MACHINE, tags=[{"key": "k", "value": "v"}]),
        "ResourceNotFound",
    ),
    "TestState": (
        lambda w: w.sfn.test_state(definition='{"Type": "Nope"}', roleArn=ROLE),
        "InvalidDefinition",
    ),
    "UntagResource": (
        lambda w: w.sfn.untag_resource(resourceArn=MISSING_MACHINE, tagKeys=["k"]),
        "ResourceNotFound",
    ),
    "UpdateMapRun": (
        lambda w: w.sfn.update_map_run(mapRunArn=MISSING_MAP_RUN, maxConcurrency=1),
        "ResourceNotFound",
    ),
    "UpdateStateMachine": (
        lambda w: w.sfn.update_state_machine(stateMachineArn=MISSING_MACHINE, definition=json.dumps(PASS)),
        "StateMachineDoesNotExist",
    ),
    "UpdateStateMachineAlias": (
        lambda w: w.sfn.update_state_machine_alias(
            stateMachineAliasArn=MISSING_MACHINE + ":nope", description="d"
        ),
        "ResourceNotFound",
    ),
    "ValidateStateMachineDefinition": (
        lambda w: w.sfn.validate_state_machine_definition(definition="{}", maxResults=1000),
        "ValidationException",
    ),
}


def served(action: str) -> Any:
    """``action`` as a test parameter, expected to fail while the service does not serve it yet."""
    marks = []
    if action not in ACTIONS:
        marks.append(pytest.mark.xfail(reason=f"{action} is not served yet", strict=True))
    return pytest.param(action, marks=marks, id=action)


MODEL_ACTIONS = sorted(MODEL.operation_names)


def test_given_botocore_model_expect_every_action_covered() -> None:
    assert len(MODEL_ACTIONS) == 37
    assert sorted(SUCCEEDS) == MODEL_ACTIONS == sorted(FAILS)


@pytest.mark.parametrize("action", [served(a) for a in MODEL_ACTIONS])
def test_given_a_valid_request_expect_an_answer_shaped_as_the_model(world: World, action: str) -> None:
    response = SUCCEEDS[action](world)
    operation: OperationModel = MODEL.operation_model(action)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    answer = json.loads(world.raw.body or b"{}")
    assert operation.output_shape is not None or answer == {}
    if operation.output_shape is not None:
        assert shape_problems(operation.output_shape, answer, action) == []
    for member in response:
        assert isinstance(member, str)
    for value in _timestamps(response):
        assert isinstance(value, datetime)


@pytest.mark.parametrize("action", [served(a) for a in MODEL_ACTIONS])
def test_given_a_request_aws_refuses_expect_a_modelled_error(world: World, action: str) -> None:
    call, code = FAILS[action]
    with pytest.raises(ClientError) as caught:
        call(world)
    error = caught.value.response
    modelled = {shape.name for shape in MODEL.operation_model(action).error_shapes}
    assert error["Error"]["Code"] == code
    assert code in modelled | {"ValidationException"}
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400 and error["Error"]["Message"]


def _timestamps(value: Any) -> Iterator[Any]:
    """Values of members named like AWS's timestamps (``...Date``, ``timestamp``) in a parsed answer."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("Date") or key == "timestamp":
                yield item
            else:
                yield from _timestamps(item)
    elif isinstance(value, list):
        for item in value:
            yield from _timestamps(item)


def test_given_answers_off_the_model_expect_the_checker_to_name_each_problem() -> None:
    shape = MODEL.operation_model("StartExecution").output_shape
    assert shape is not None
    problems = shape_problems(shape, {"executionArn": 1, "extra": True}, "StartExecution")
    assert problems == [
        "StartExecution.startDate: missing",
        "StartExecution.executionArn: expected string, got 1",
        "StartExecution.extra: not in the model",
    ]
