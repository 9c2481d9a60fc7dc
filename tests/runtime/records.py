"""A state machine and an execution of it, as the service would create them (for runtime tests)."""

from __future__ import annotations

import itertools
import json
from typing import Any

from orchestrator.store.records import ExecutionRecord, StateMachineRecord

REGION, ACCOUNT = "us-east-1", "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/test"
_numbers = itertools.count()


def function(name: str) -> str:
    """The Lambda ARN a Task state uses to call the registered Python function ``name``."""
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


def new_execution(
    definition: dict[str, Any], value: Any = None
) -> tuple[StateMachineRecord, ExecutionRecord]:
    """Fresh records with unique names: a machine for ``definition`` and an execution on ``value``."""
    n = next(_numbers)
    machine = StateMachineRecord(
        arn=f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:m{n}",
        name=f"m{n}",
        definition=json.dumps(definition),
        role_arn=ROLE,
    )
    execution = ExecutionRecord(
        arn=f"arn:aws:states:{REGION}:{ACCOUNT}:execution:m{n}:e{n}",
        state_machine_arn=machine.arn,
        name=f"e{n}",
        input=json.dumps({} if value is None else value),
        role_arn=ROLE,
    )
    return machine, execution
