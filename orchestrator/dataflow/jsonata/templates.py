"""JSONata-state payload templates (``Arguments``, ``Output``, ``Assign`` values, ``ItemSelector``).

A template is any JSON value; every string that is a ``{% ... %}`` expression is replaced by its value
and everything else is copied as is. Errors name the nested location the way AWS does: the field, then
each object key (and array index) on the way, separated by ``/`` (``Output/error``).
"""

from __future__ import annotations

from typing import Any

from orchestrator.dataflow.jsonata.expressions import Bindings, evaluate_expression, is_expression


def evaluate_template(template: Any, bindings: Bindings, field: str) -> Any:
    """The template with every expression evaluated (a new value; the template is never changed)."""
    if isinstance(template, str):
        return evaluate_expression(template, bindings, field) if is_expression(template) else template
    if isinstance(template, dict):
        return {key: evaluate_template(item, bindings, f"{field}/{key}") for key, item in template.items()}
    if isinstance(template, list):
        return [evaluate_template(item, bindings, f"{field}/{index}") for index, item in enumerate(template)]
    return template
