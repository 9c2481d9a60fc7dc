"""Regenerate the vendored KEDA schemas in this folder from a package on PyPI.

KEDA publishes its CRDs (with their ``openAPIV3Schema``) only in its GitHub releases and Helm chart, which
these machines cannot fetch. ``cloudcoil-models-keda`` (PyPI) is generated from exactly those CRDs
(version = KEDA's version + a build number), so its pydantic models carry the same fields, types and
required lists. This script turns them back into JSON Schemas, as strict as ``kubectl apply
--validate=strict``: a field the CRD does not define is an error. Run it only to move to another KEDA
version (the output is committed)::

    pip install --target /tmp/cc cloudcoil-models-keda==2.16.1.0
    PYTHONPATH=/tmp/cc python deploy/kubernetes/schemas/generate_keda_schemas.py
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
KINDS = ("ScaledObject", "TriggerAuthentication")


def tidy(node: Any) -> Any:
    """CRD-like: no ``null`` alternatives or pydantic titles, closed objects (unknown fields refused)."""
    if isinstance(node, list):
        return [tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: tidy(value) for key, value in node.items() if key != "title"}
    alternatives = node.get("anyOf")
    if isinstance(alternatives, list):
        kept = [alt for alt in alternatives if alt != {"type": "null"}]
        if len(kept) == 1:
            node.pop("anyOf")
            if node.get("default", 0) is None:
                node.pop("default")
            node.update(kept[0])
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    return node


def main() -> None:
    from cloudcoil.models.keda import v1alpha1

    keda = version("cloudcoil-models-keda")
    for kind in KINDS:
        schema = tidy(getattr(v1alpha1, kind).model_json_schema(by_alias=True, mode="validation"))
        schema["required"] = sorted({*schema.get("required", []), "apiVersion", "kind", "metadata"})
        schema["$comment"] = f"keda.sh/v1alpha1 {kind} from cloudcoil-models-keda {keda} (see README)"
        path = HERE / f"keda.sh_v1alpha1_{kind.lower()}.json"
        path.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
        print(f"wrote {path.name}")


if __name__ == "__main__":
    main()
