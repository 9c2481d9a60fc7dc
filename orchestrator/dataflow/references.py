"""One reader for every path a JSONPath state may hold: ``$...`` (state input), ``$$...`` (context
object) and ``$name...`` (a variable), as InputPath, OutputPath, ItemsPath, ``*Path`` fields and Choice
``Variable`` use them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from orchestrator.dataflow.jsonpath import PathNotFound, compile_path

_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def read_reference(
    path: str, state_input: Any, context: Any, *, variables: Mapping[str, Any] | None = None
) -> Any:
    """Evaluate ``path`` on the data it addresses.

    Raises :class:`PathNotFound` when nothing resolves (also for a variable that is not defined) and
    :class:`InvalidPathError` when ``path`` is not a path.
    """
    if path.startswith("$$"):
        return compile_path("$" + path[2:]).read(context)
    variable = _VARIABLE.match(path)
    if variable is None:
        return compile_path(path).read(state_input)
    name = variable.group(1)
    compiled = compile_path("$" + path[variable.end() :])
    if variables is None or name not in variables:
        raise PathNotFound(path, f"No results for path: ${name}")
    return compiled.read(variables[name])
