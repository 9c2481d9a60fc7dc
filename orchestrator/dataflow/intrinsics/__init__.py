"""The 18 ``States.*`` intrinsic functions of JSONPath states: parser, evaluator and the functions.

``parse`` checks syntax (the definition validator uses it); ``evaluate`` runs a call and raises
``StatesError("States.Runtime", ...)`` with AWS's wording when it fails.
"""

from orchestrator.dataflow.intrinsics.evaluate import FUNCTIONS, evaluate
from orchestrator.dataflow.intrinsics.parser import (
    FUNCTION_NAMES,
    IntrinsicCall,
    IntrinsicSyntaxError,
    PathArgument,
    StringLiteral,
    ValueLiteral,
    is_intrinsic,
    parse,
)

__all__ = [
    "FUNCTIONS",
    "FUNCTION_NAMES",
    "IntrinsicCall",
    "IntrinsicSyntaxError",
    "PathArgument",
    "StringLiteral",
    "ValueLiteral",
    "evaluate",
    "is_intrinsic",
    "parse",
]
