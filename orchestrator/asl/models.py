"""Typed models of an Amazon States Language definition (pydantic v2).

Field names are ASL's (aliases); attributes are snake_case. The validator (``validate.py``) reports
every problem with AWS's wording *before* a definition is turned into these models, so the models are
lenient (unknown fields are ignored) and only give the engine typed, cached access.

Absent and ``null`` differ in ASL: ``ResultPath: null`` discards the result while an absent
``ResultPath`` means ``$``. Defaults encode the absent case; ``None`` means an explicit ``null``.
For fields whose value may itself be any JSON (``Result``) use :meth:`AslModel.has`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

JSONPATH = "JSONPath"
JSONATA = "JSONata"

COMPARISON_OPERATORS = frozenset(
    f"{kind}{op}{suffix}"
    for kind in ("String", "Numeric", "Timestamp")
    for op in ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")
    for suffix in ("", "Path")
) | {
    "BooleanEquals",
    "BooleanEqualsPath",
    "StringMatches",
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
}


class AslModel(BaseModel):
    model_config = ConfigDict(
        populate_by_name=True, extra="ignore", frozen=True, arbitrary_types_allowed=True
    )

    def has(self, field: str) -> bool:
        """Whether the definition set ``field`` (attribute name), even to ``null``."""
        return field in self.model_fields_set


class Retrier(AslModel):
    error_equals: list[str] = Field(alias="ErrorEquals")
    interval_seconds: Any = Field(1, alias="IntervalSeconds")
    max_attempts: Any = Field(3, alias="MaxAttempts")
    backoff_rate: float = Field(2.0, alias="BackoffRate")
    max_delay_seconds: int | None = Field(None, alias="MaxDelaySeconds")
    jitter_strategy: Literal["FULL", "NONE"] = Field("NONE", alias="JitterStrategy")
    comment: str | None = Field(None, alias="Comment")


class Catcher(AslModel):
    error_equals: list[str] = Field(alias="ErrorEquals")
    next: str = Field(alias="Next")
    result_path: str | None = Field("$", alias="ResultPath")
    assign: Any = Field(None, alias="Assign")
    output: Any = Field(None, alias="Output")
    comment: str | None = Field(None, alias="Comment")


class ChoiceRule(AslModel):
    """A Choice rule: a comparison (``Variable`` + one operator), a boolean combination, or a JSONata
    ``Condition``. Top-level rules carry ``Next`` (and ``Assign``/``Output``)."""

    variable: str | None = Field(None, alias="Variable")
    operator: str | None = None
    operand: Any = None
    and_: list[ChoiceRule] | None = Field(None, alias="And")
    or_: list[ChoiceRule] | None = Field(None, alias="Or")
    not_: ChoiceRule | None = Field(None, alias="Not")
    condition: Any = Field(None, alias="Condition")
    next: str | None = Field(None, alias="Next")
    assign: Any = Field(None, alias="Assign")
    output: Any = Field(None, alias="Output")
    comment: str | None = Field(None, alias="Comment")

    @model_validator(mode="before")
    @classmethod
    def _find_operator(cls, data: Any) -> Any:
        if isinstance(data, dict):
            ops = [k for k in data if k in COMPARISON_OPERATORS]
            if ops:
                data = {**data, "operator": ops[0], "operand": data[ops[0]]}
        return data


class State(AslModel):
    """Fields common to every state type."""

    type: str = Field(alias="Type")
    comment: str | None = Field(None, alias="Comment")
    query_language: Literal["JSONPath", "JSONata"] | None = Field(None, alias="QueryLanguage")
    next: str | None = Field(None, alias="Next")
    end: bool = Field(False, alias="End")
    input_path: str | None = Field("$", alias="InputPath")
    output_path: str | None = Field("$", alias="OutputPath")
    assign: Any = Field(None, alias="Assign")
    output: Any = Field(None, alias="Output")

    @property
    def is_end(self) -> bool:
        return self.end or self.type in ("Succeed", "Fail")


class _ResultState(State):
    parameters: Any = Field(None, alias="Parameters")
    arguments: Any = Field(None, alias="Arguments")
    result_selector: Any = Field(None, alias="ResultSelector")
    result_path: str | None = Field("$", alias="ResultPath")
    retry: list[Retrier] = Field(default_factory=list, alias="Retry")
    catch: list[Catcher] = Field(default_factory=list, alias="Catch")


class PassState(State):
    type: Literal["Pass"] = Field(alias="Type")
    parameters: Any = Field(None, alias="Parameters")
    result: Any = Field(None, alias="Result")
    result_path: str | None = Field("$", alias="ResultPath")


class TaskState(_ResultState):
    type: Literal["Task"] = Field(alias="Type")
    resource: str = Field(alias="Resource")
    timeout_seconds: Any = Field(None, alias="TimeoutSeconds")
    timeout_seconds_path: str | None = Field(None, alias="TimeoutSecondsPath")
    heartbeat_seconds: Any = Field(None, alias="HeartbeatSeconds")
    heartbeat_seconds_path: str | None = Field(None, alias="HeartbeatSecondsPath")
    credentials: Any = Field(None, alias="Credentials")


class ChoiceState(State):
    type: Literal["Choice"] = Field(alias="Type")
    choices: list[ChoiceRule] = Field(alias="Choices")
    default: str | None = Field(None, alias="Default")


class WaitState(State):
    type: Literal["Wait"] = Field(alias="Type")
    seconds: Any = Field(None, alias="Seconds")
    seconds_path: str | None = Field(None, alias="SecondsPath")
    timestamp: Any = Field(None, alias="Timestamp")
    timestamp_path: str | None = Field(None, alias="TimestampPath")


class SucceedState(State):
    type: Literal["Succeed"] = Field(alias="Type")


class FailState(State):
    type: Literal["Fail"] = Field(alias="Type")
    error: Any = Field(None, alias="Error")
    error_path: str | None = Field(None, alias="ErrorPath")
    cause: Any = Field(None, alias="Cause")
    cause_path: str | None = Field(None, alias="CausePath")


class Program(AslModel):
    """A ``StartAt`` + ``States`` pair: the top-level machine, a Parallel branch or a Map processor."""

    start_at: str = Field(alias="StartAt")
    states: dict[str, AnyState] = Field(alias="States")
    comment: str | None = Field(None, alias="Comment")
    query_language: Literal["JSONPath", "JSONata"] | None = Field(None, alias="QueryLanguage")
    processor_config: dict[str, Any] = Field(default_factory=dict, alias="ProcessorConfig")

    @property
    def mode(self) -> str:
        return str(self.processor_config.get("Mode", "INLINE"))


class ParallelState(_ResultState):
    type: Literal["Parallel"] = Field(alias="Type")
    branches: list[Program] = Field(alias="Branches")


class MapState(_ResultState):
    type: Literal["Map"] = Field(alias="Type")
    items_path: str | None = Field("$", alias="ItemsPath")
    items: Any = Field(None, alias="Items")
    item_processor: Program | None = Field(None, alias="ItemProcessor")
    iterator: Program | None = Field(None, alias="Iterator")
    item_selector: Any = Field(None, alias="ItemSelector")
    item_reader: Any = Field(None, alias="ItemReader")
    item_batcher: Any = Field(None, alias="ItemBatcher")
    result_writer: Any = Field(None, alias="ResultWriter")
    max_concurrency: Any = Field(0, alias="MaxConcurrency")
    max_concurrency_path: str | None = Field(None, alias="MaxConcurrencyPath")
    tolerated_failure_count: Any = Field(None, alias="ToleratedFailureCount")
    tolerated_failure_count_path: str | None = Field(None, alias="ToleratedFailureCountPath")
    tolerated_failure_percentage: Any = Field(None, alias="ToleratedFailurePercentage")
    tolerated_failure_percentage_path: str | None = Field(None, alias="ToleratedFailurePercentagePath")
    label: str | None = Field(None, alias="Label")

    @property
    def processor(self) -> Program:
        processor = self.item_processor or self.iterator
        assert processor is not None, "validated definitions have ItemProcessor or Iterator"
        return processor

    @property
    def distributed(self) -> bool:
        return self.processor.mode == "DISTRIBUTED"


AnyState = Annotated[
    PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState,
    Field(discriminator="type"),
]


class StateMachineDefinition(Program):
    """The top-level definition."""

    timeout_seconds: int | None = Field(None, alias="TimeoutSeconds")
    version: str | None = Field(None, alias="Version")

    @classmethod
    def from_dict(cls, definition: dict[str, Any]) -> StateMachineDefinition:
        return cls.model_validate(definition)


Program.model_rebuild()
ChoiceRule.model_rebuild()
ParallelState.model_rebuild()
MapState.model_rebuild()
StateMachineDefinition.model_rebuild()
