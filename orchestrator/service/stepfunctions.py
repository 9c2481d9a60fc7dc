"""The Step Functions API as one Python object, and the action table the HTTP endpoint dispatches on."""

from __future__ import annotations

from typing import Any

from orchestrator.errors import ApiError
from orchestrator.service.activities import ActivityActions
from orchestrator.service.callbacks import CallbackActions
from orchestrator.service.context import RequestContext
from orchestrator.service.executions import ExecutionActions
from orchestrator.service.history import HistoryActions
from orchestrator.service.map_runs import MapRunActions
from orchestrator.service.redrive import RedriveActions
from orchestrator.service.state_machines import StateMachineActions
from orchestrator.service.validation import ValidationActions

ACTIONS: dict[str, str] = {
    "CreateStateMachine": "create_state_machine",
    "DescribeStateMachine": "describe_state_machine",
    "UpdateStateMachine": "update_state_machine",
    "DeleteStateMachine": "delete_state_machine",
    "ListStateMachines": "list_state_machines",
    "PublishStateMachineVersion": "publish_state_machine_version",
    "ListStateMachineVersions": "list_state_machine_versions",
    "DeleteStateMachineVersion": "delete_state_machine_version",
    "CreateStateMachineAlias": "create_state_machine_alias",
    "DescribeStateMachineAlias": "describe_state_machine_alias",
    "UpdateStateMachineAlias": "update_state_machine_alias",
    "DeleteStateMachineAlias": "delete_state_machine_alias",
    "ListStateMachineAliases": "list_state_machine_aliases",
    "StartExecution": "start_execution",
    "StartSyncExecution": "start_sync_execution",
    "DescribeExecution": "describe_execution",
    "ListExecutions": "list_executions",
    "StopExecution": "stop_execution",
    "RedriveExecution": "redrive_execution",
    "DescribeStateMachineForExecution": "describe_state_machine_for_execution",
    "GetExecutionHistory": "get_execution_history",
    "ValidateStateMachineDefinition": "validate_state_machine_definition",
    "TestState": "test_state",
    "DescribeMapRun": "describe_map_run",
    "ListMapRuns": "list_map_runs",
    "UpdateMapRun": "update_map_run",
    "SendTaskSuccess": "send_task_success",
    "SendTaskFailure": "send_task_failure",
    "SendTaskHeartbeat": "send_task_heartbeat",
    "CreateActivity": "create_activity",
    "DescribeActivity": "describe_activity",
    "ListActivities": "list_activities",
    "DeleteActivity": "delete_activity",
    "GetActivityTask": "get_activity_task",
    "TagResource": "tag_resource",
    "UntagResource": "untag_resource",
    "ListTagsForResource": "list_tags_for_resource",
}
"""AWS action name → :class:`StepFunctionsService` method."""


class StepFunctionsService(
    StateMachineActions,
    ExecutionActions,
    HistoryActions,
    ValidationActions,
    CallbackActions,
    ActivityActions,
    MapRunActions,
    RedriveActions,
):
    """``StepFunctionsService(store, runtime, resolver, *, region=..., account_id=...)``: one method per
    API action, each taking AWS's request dict (and a :class:`RequestContext`) and returning AWS's
    response dict, raising :class:`ApiError` with AWS's error names and messages."""

    def dispatch(
        self, action: str, params: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        """Run the action named ``action`` (``"StartExecution"``...) on ``params``."""
        method = ACTIONS.get(action)
        if method is None:
            raise ApiError("UnknownOperationException", f"Unknown operation: {action}")
        if not isinstance(params, dict):
            raise ApiError("SerializationException", "The request body must be a JSON object")
        result: dict[str, Any] = getattr(self, method)(params, self.context(ctx))
        return result
