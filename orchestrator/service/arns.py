"""Step Functions ARNs: building them, taking them apart, and the name rules behind them.

Shapes (AWS's)::

    arn:aws:states:<region>:<account>:stateMachine:<name>[:<version>|:<alias>]
    arn:aws:states:<region>:<account>:execution:<state machine name>:<execution name>
    arn:aws:states:<region>:<account>:express:<state machine name>:<execution name>:<uuid>

Error wording is AWS's as recorded: ``Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'`` and
``Invalid Arn: 'Resource type not valid in this context: execution'``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from orchestrator.errors import ApiError

PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b")
NAME_MAX_LENGTH = 80
# "A name must not contain: white space, brackets < > { } [ ], wildcard characters ? *, special
# characters " # % \ ^ | ~ ` $ & , ; : /, control characters (U+0000-001F, U+007F-009F)." (API reference)
_FORBIDDEN_NAME_CHARACTERS = frozenset(' \t\n\r<>{}[]?*"#%\\^|~`$&,;:/') | frozenset(
    chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))
)


@dataclass(frozen=True)
class StatesArn:
    """A parsed ``arn:<partition>:states:...`` ARN."""

    partition: str
    region: str
    account_id: str
    resource_type: str  # stateMachine | execution | express | activity | mapRun ...
    parts: tuple[str, ...]  # what follows the resource type, split on ':'

    @property
    def state_machine_name(self) -> str:
        return self.parts[0]

    @property
    def qualifier(self) -> str | None:
        """The version number or alias name of a qualified state machine ARN."""
        if self.resource_type == "stateMachine" and len(self.parts) > 1:
            return self.parts[1]
        return None

    def base(self) -> str:
        """The unqualified state machine ARN this ARN belongs to."""
        return state_machine_arn(self.state_machine_name, self.region, self.account_id, self.partition)


def invalid_arn(detail: str) -> ApiError:
    return ApiError("InvalidArn", f"Invalid Arn: '{detail}'")


def parse(arn: object) -> StatesArn:
    """Split a Step Functions ARN; raises ``InvalidArn`` as AWS does when it is not one."""
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        raise invalid_arn(f"Invalid ARN prefix: {arn}")
    fields = arn.split(":")
    if len(fields) < 7 or fields[1] not in PARTITIONS or fields[2] != "states" or not all(fields[5:]):
        raise invalid_arn(f"Invalid ARN: {arn}")
    return StatesArn(fields[1], fields[3], fields[4], fields[5], tuple(fields[6:]))


def parse_state_machine(arn: object, *, qualified: bool = True) -> StatesArn:
    """A state machine ARN (optionally with a version or alias qualifier)."""
    parsed = parse(arn)
    if parsed.resource_type != "stateMachine":
        raise invalid_arn(f"Resource type not valid in this context: {parsed.resource_type.lower()}")
    if len(parsed.parts) > (2 if qualified else 1):
        raise invalid_arn(f"Invalid ARN: {arn}")
    return parsed


def parse_execution(arn: object) -> StatesArn:
    """An execution ARN: STANDARD (``execution``) or EXPRESS (``express``)."""
    parsed = parse(arn)
    if parsed.resource_type not in ("execution", "express"):
        raise invalid_arn(f"Resource type not valid in this context: {parsed.resource_type.lower()}")
    if len(parsed.parts) < 2:
        raise invalid_arn(f"Invalid ARN: {arn}")
    return parsed


def state_machine_arn(name: str, region: str, account_id: str, partition: str = "aws") -> str:
    return f"arn:{partition}:states:{region}:{account_id}:stateMachine:{name}"


def execution_arn(machine_arn: str, execution_name: str, *, express: bool = False) -> str:
    """The ARN of a new execution of ``machine_arn`` (EXPRESS ones end in a fresh UUID, as AWS's do)."""
    machine = parse_state_machine(machine_arn)
    prefix = f"arn:{machine.partition}:states:{machine.region}:{machine.account_id}"
    if express:
        return f"{prefix}:express:{machine.state_machine_name}:{execution_name}:{uuid.uuid4()}"
    return f"{prefix}:execution:{machine.state_machine_name}:{execution_name}"


def validate_name(name: object, *, member: str = "name") -> str:
    """A state machine, execution or alias name as AWS accepts it; ``InvalidName`` otherwise."""
    if not isinstance(name, str) or not name:
        raise ApiError("InvalidName", f"Invalid Name: '{name}'")
    if len(name) > NAME_MAX_LENGTH:
        raise ApiError(
            "ValidationException",
            f"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {NAME_MAX_LENGTH}",
        )
    if any(ch in _FORBIDDEN_NAME_CHARACTERS for ch in name):
        raise ApiError("InvalidName", f"Invalid Name: '{name}'")
    return name


def validate_role_arn(role_arn: object) -> str:
    """A role ARN, checked for shape only: nothing here assumes roles."""
    if not isinstance(role_arn, str) or not role_arn.startswith("arn:"):
        raise invalid_arn(f"Invalid ARN prefix: {role_arn}")
    if len(role_arn.split(":", 5)) < 6:
        raise invalid_arn(f"Invalid ARN: {role_arn}")
    return role_arn
