"""Pure data-flow evaluators of JSONPath states: paths, ResultPath, payload templates, intrinsic functions,
JSON text and payload limits. Nothing here does I/O; failures are raised as ``StatesError``.
"""

from orchestrator.dataflow.json_text import dumps
from orchestrator.dataflow.jsonpath import (
    CompiledPath,
    InvalidPathError,
    PathNotFound,
    apply_result_path,
    compile_path,
    is_reference_path,
    is_valid_path,
    read_path,
)
from orchestrator.dataflow.limits import DEFAULT_MAX_PAYLOAD_BYTES, payload_size
from orchestrator.dataflow.payload import evaluate_payload
from orchestrator.dataflow.references import read_reference

__all__ = [
    "DEFAULT_MAX_PAYLOAD_BYTES",
    "CompiledPath",
    "InvalidPathError",
    "PathNotFound",
    "apply_result_path",
    "compile_path",
    "dumps",
    "evaluate_payload",
    "is_reference_path",
    "is_valid_path",
    "payload_size",
    "read_path",
    "read_reference",
]
