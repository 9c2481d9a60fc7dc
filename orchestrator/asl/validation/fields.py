"""Which fields each part of a definition may carry, per the ASL spec and AWS's JSONata additions.

A field outside a state type's set is ``Field 'X' is not supported``; a field of the other query language
is reported with AWS's QueryLanguage wording instead (see ``states.py``).
"""

from __future__ import annotations

STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")

ROOT_FIELDS = frozenset({"Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"})
BRANCH_FIELDS = frozenset({"Comment", "StartAt", "States"})
PROCESSOR_FIELDS = BRANCH_FIELDS | {"ProcessorConfig"}
PROCESSOR_CONFIG_FIELDS = frozenset({"Mode", "ExecutionType"})

# Fields that exist only for one query language ("The QueryLanguage is set to ..., but field ...").
JSONPATH_ONLY = frozenset(
    {
        "InputPath",
        "OutputPath",
        "Parameters",
        "ResultPath",
        "ResultSelector",
        "Result",
        "ItemsPath",
        "Iterator",
        "SecondsPath",
        "TimestampPath",
        "TimeoutSecondsPath",
        "HeartbeatSecondsPath",
        "ErrorPath",
        "CausePath",
        "MaxConcurrencyPath",
        "ToleratedFailureCountPath",
        "ToleratedFailurePercentagePath",
    }
)
JSONATA_ONLY = frozenset({"Arguments", "Output", "Items"})

_COMMON = frozenset({"Type", "Comment", "QueryLanguage"})
_FLOW = frozenset({"Next", "End"})
_IO = frozenset({"InputPath", "OutputPath", "Output", "Assign"})
_RESULT = frozenset({"ResultPath", "ResultSelector", "Retry", "Catch"})

STATE_FIELDS: dict[str, frozenset[str]] = {
    "Pass": _COMMON | _FLOW | _IO | {"Parameters", "Result", "ResultPath"},
    "Task": _COMMON
    | _FLOW
    | _IO
    | _RESULT
    | {
        "Resource",
        "Parameters",
        "Arguments",
        "TimeoutSeconds",
        "TimeoutSecondsPath",
        "HeartbeatSeconds",
        "HeartbeatSecondsPath",
        "Credentials",
    },
    "Choice": _COMMON | _IO | {"Choices", "Default"},
    "Wait": _COMMON | _FLOW | _IO | {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"},
    "Succeed": _COMMON | {"InputPath", "OutputPath", "Output"},
    "Fail": _COMMON | {"Error", "ErrorPath", "Cause", "CausePath"},
    "Parallel": _COMMON | _FLOW | _IO | _RESULT | {"Branches", "Parameters", "Arguments"},
    "Map": _COMMON
    | _FLOW
    | _IO
    | _RESULT
    | {
        "ItemProcessor",
        "Iterator",
        "ItemsPath",
        "Items",
        "ItemSelector",
        "Parameters",
        "ItemReader",
        "ItemBatcher",
        "ResultWriter",
        "MaxConcurrency",
        "MaxConcurrencyPath",
        "ToleratedFailureCount",
        "ToleratedFailureCountPath",
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath",
        "Label",
    },
}

REQUIRED_STATE_FIELDS: dict[str, tuple[str, ...]] = {
    "Task": ("Resource",),
    "Choice": ("Choices",),
    "Parallel": ("Branches",),
}

RETRIER_FIELDS = frozenset(
    {
        "ErrorEquals",
        "IntervalSeconds",
        "MaxAttempts",
        "BackoffRate",
        "MaxDelaySeconds",
        "JitterStrategy",
        "Comment",
    }
)
CATCHER_FIELDS = frozenset({"ErrorEquals", "Next", "ResultPath", "Comment", "Assign", "Output"})

# Fields whose value may be a JSONata expression ("{% ... %}") in a JSONata state, instead of a literal.
JSONATA_VALUE_FIELDS = frozenset(
    {
        "TimeoutSeconds",
        "HeartbeatSeconds",
        "Seconds",
        "Timestamp",
        "MaxConcurrency",
        "ToleratedFailureCount",
        "ToleratedFailurePercentage",
        "Items",
        "Error",
        "Cause",
        "MaxItems",
        "MaxItemsPerBatch",
        "MaxInputBytesPerBatch",
    }
)
