"""JSONPath as AWS Step Functions evaluates it (Jayway JsonPath semantics and messages).

``compile_path`` parses once and caches; ``read_path`` evaluates (a value for a definite path, a list
for an indefinite one); ``apply_result_path`` implements ResultPath. Context-object paths (``$$.x``) are
read by the caller as ``read_path("$" + "x"...)`` on the context object.
"""

from orchestrator.dataflow.jsonpath.compiled import (
    CompiledPath,
    compile_path,
    is_reference_path,
    is_valid_path,
    read_path,
)
from orchestrator.dataflow.jsonpath.errors import InvalidPathError, PathNotFound
from orchestrator.dataflow.jsonpath.result_path import apply_result_path

__all__ = [
    "CompiledPath",
    "InvalidPathError",
    "PathNotFound",
    "apply_result_path",
    "compile_path",
    "is_reference_path",
    "is_valid_path",
    "read_path",
]
