"""Evaluation of compiled paths with Jayway's failure rules and messages (as AWS reports them).

AWS reads paths with Jayway JsonPath over Jackson nodes, without options. So, on a definite path:

* a missing last property finds nothing: ``No results for path: $['a']['b']``;
* a missing property before the end fails: ``Missing property in path $['a']``;
* a property of a non-object fails: ``Expected to find an object with property ['b'] in path $['a'] but
  found 'java.lang.Integer'. ...``;
* an index of a non-array fails: ``Filter: [0] can only be applied to arrays. Current context is: 1``;
* an index past the end reads ``null`` (Jackson's ``ArrayNode.get``), unless ``strict`` (intrinsic
  function arguments, where AWS reports a miss).

Once an indefinite step has been taken, misses are silent and the result is a (possibly empty) list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.dataflow.json_text import dumps
from orchestrator.dataflow.jsonpath.errors import PathNotFound
from orchestrator.dataflow.jsonpath.segments import Child, Index
from orchestrator.dataflow.jvm import java_class_name, java_double_str

if TYPE_CHECKING:
    from orchestrator.dataflow.jsonpath.compiled import CompiledPath

JSON_PROVIDER = "com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider"


def walk_definite(path: CompiledPath, data: Any, upto: int, *, leaf: bool, strict: bool) -> Any:
    """Apply the first ``upto`` steps of ``path`` (all definite) to ``data``.

    ``leaf`` says whether step ``upto - 1`` is the path's last step (a missing last property is "no
    results" rather than "missing property").
    """
    node = data
    current = "$"
    segments = path.segments
    for position in range(upto):
        segment = segments[position]
        if isinstance(segment, Child):
            if type(node) is not dict:
                raise PathNotFound(
                    path.text,
                    f"Expected to find an object with property {segment.fragment()} in path {current} but "
                    f"found '{java_class_name(node)}'. This is not a json object according to the "
                    f"JsonProvider: '{JSON_PROVIDER}'.",
                )
            if segment.merge:
                node = {name: node[name] for name in segment.names if name in node}
            else:
                name = segment.names[0]
                if name in node:
                    node = node[name]
                elif leaf and position == upto - 1:
                    raise PathNotFound(path.text, f"No results for path: {path.jayway}")
                else:
                    raise PathNotFound(path.text, f"Missing property in path {current}['{name}']")
        else:
            node = _index(path, position, node, current, strict=strict)
        current += segment.fragment()
    return node


def _index(path: CompiledPath, position: int, node: Any, current: str, *, strict: bool) -> Any:
    if node is None:
        raise PathNotFound(path.text, f"The path {current} is null")
    if type(node) is not list:
        rest = "".join(segment.fragment() for segment in path.segments[position:])
        raise PathNotFound(
            path.text,
            f"Filter: {rest} can only be applied to arrays. Current context is: {_node_text(node)}",
        )
    segment = path.segments[position]
    assert isinstance(segment, Index)
    index = segment.indices[0]
    size = len(node)
    actual = index + size if index < 0 else index
    if 0 <= actual < size:
        return node[actual]
    if strict:
        raise PathNotFound(path.text, f"No results for path: {path.jayway}")
    return None


def read_indefinite(path: CompiledPath, data: Any, *, strict: bool) -> list[Any]:
    """All nodes an indefinite path reaches (the definite steps before the first indefinite one still fail)."""
    nodes = [walk_definite(path, data, path.definite_prefix, leaf=False, strict=strict)]
    for segment in path.segments[path.definite_prefix :]:
        nodes = [selected for node in nodes for selected in segment.select(node, data)]
    return nodes


def _node_text(node: Any) -> str:
    """``toString`` of the value Jayway holds: JSON for containers, the plain text of a scalar."""
    if isinstance(node, dict | list):
        return dumps(node)
    if type(node) is float:
        return java_double_str(node)
    if isinstance(node, bool):
        return "true" if node else "false"
    return str(node)
