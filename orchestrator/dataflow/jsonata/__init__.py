"""JSONata for JSONata states: ``{% ... %}`` expressions and payload templates, with Step Functions'
functions (``$partition``, ``$range``, ``$hash``, ``$random``, ``$uuid``, ``$parse``), a deterministic
``$now()``, bounded evaluation, and AWS's ``States.QueryEvaluationError`` messages.
"""

from orchestrator.dataflow.jsonata.errors import QUERY_EVALUATION_ERROR, jsonata_error_text
from orchestrator.dataflow.jsonata.expressions import (
    Bindings,
    evaluate_expression,
    expression_text,
    is_expression,
)
from orchestrator.dataflow.jsonata.templates import evaluate_template

__all__ = [
    "QUERY_EVALUATION_ERROR",
    "Bindings",
    "evaluate_expression",
    "evaluate_template",
    "expression_text",
    "is_expression",
    "jsonata_error_text",
]
