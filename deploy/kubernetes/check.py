"""Render the Kustomize overlays in Python and validate every manifest they produce.

No ``kubectl`` or ``kustomize`` binary installs on these machines, so this renders the subset of
Kustomize that ``deploy/kubernetes`` uses, the way Kustomize does it, and refuses anything else (a
kustomization field it does not know is an error, never silently skipped):

- ``resources``: YAML files (several documents each) and directories holding a ``kustomization.yaml``;
- ``patches`` with a ``path``: strategic-merge patches targeting the resource of the same kind and name.
  Maps merge key by key (``null`` deletes); lists of built-in kinds merge by their Kubernetes merge key
  (``containers``/``volumes``/``env`` by ``name``, ``volumeMounts`` by ``mountPath``...); other lists,
  and every list of a custom resource, are replaced whole; ``$patch: delete`` removes the resource;
- ``images``: ``newName``/``newTag`` for containers whose image is ``name``.

Validation: built-in kinds with kubernetes-validate in strict mode (unknown fields are errors) for
``KUBERNETES_VERSION``; KEDA's kinds against the JSON Schemas in ``schemas/`` (see their generator).

``python deploy/kubernetes/check.py`` renders and validates every overlay (exit 1 on any problem);
``python deploy/kubernetes/check.py overlays/NAME`` prints one overlay's manifests.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import yaml

HERE = Path(__file__).resolve().parent
OVERLAYS = sorted(path for path in (HERE / "overlays").iterdir() if path.is_dir())
KUBERNETES_VERSION = "1.30.0"
KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "resources", "patches", "images"}
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "env": "name",
    "volumes": "name",
    "imagePullSecrets": "name",
    "volumeMounts": "mountPath",
    "volumeDevices": "devicePath",
}
CRD_SCHEMAS = {
    ("keda.sh/v1alpha1", kind): HERE / "schemas" / f"keda.sh_v1alpha1_{kind.lower()}.json"
    for kind in ("ScaledObject", "TriggerAuthentication")
}

Manifest = dict[str, Any]


class RenderError(ValueError):
    """A kustomization this renderer cannot render as Kustomize would."""


def render(directory: Path) -> list[Manifest]:
    """The manifests ``kustomize build DIRECTORY`` produces (for the subset described above)."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(kustomization) - KUSTOMIZATION_FIELDS
    if unknown:
        raise RenderError(f"{directory}: unsupported kustomization fields {sorted(unknown)}")
    manifests: list[Manifest] = []
    for entry in kustomization.get("resources", []):
        path = (directory / entry).resolve()
        manifests.extend(render(path) if path.is_dir() else load(path))
    for patch in kustomization.get("patches", []):
        if set(patch) != {"path"}:
            raise RenderError(f"{directory}: only `patches: [{{path: FILE}}]` is supported, not {patch}")
        for document in load(directory / patch["path"]):
            manifests = apply_patch(manifests, document)
    for image in kustomization.get("images", []):
        set_image(manifests, image)
    keys = [identity(manifest) for manifest in manifests]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise RenderError(f"{directory}: resources defined twice: {sorted(duplicates)}")
    return manifests


def load(path: Path) -> list[Manifest]:
    """The YAML documents of a file, empty ones left out."""
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


def identity(manifest: Manifest) -> tuple[str, str, str]:
    """What Kustomize matches a patch by: group/version, kind and name."""
    return manifest["apiVersion"], manifest["kind"], manifest["metadata"]["name"]


def apply_patch(manifests: list[Manifest], patch: Manifest) -> list[Manifest]:
    """``manifests`` with the strategic-merge ``patch`` applied to its one target."""
    patch = copy.deepcopy(patch)
    delete = patch.pop("$patch", None) == "delete"
    matches = [index for index, manifest in enumerate(manifests) if identity(manifest) == identity(patch)]
    if len(matches) != 1:
        raise RenderError(f"patch target {identity(patch)} matches {len(matches)} resources")
    index = matches[0]
    if delete:
        return manifests[:index] + manifests[index + 1 :]
    builtin = is_builtin(patch["apiVersion"])
    merged = merge(manifests[index], patch, builtin)
    return [*manifests[:index], merged, *manifests[index + 1 :]]


def is_builtin(api_version: str) -> bool:
    """Kubernetes' own groups (``v1``, ``apps/v1``, ``*.k8s.io``), whose schemas carry merge keys."""
    group = api_version.rpartition("/")[0]
    return "." not in group or group.endswith(".k8s.io")


def merge(base: Any, patch: Any, builtin: bool, field: str = "") -> Any:
    """Strategic merge of ``patch`` into ``base`` (a new value; neither argument changes)."""
    if isinstance(base, dict) and isinstance(patch, dict):
        result = copy.deepcopy(base)
        for key, value in patch.items():
            if value is None:
                result.pop(key, None)
            elif key in result:
                result[key] = merge(result[key], value, builtin, key)
            else:
                result[key] = copy.deepcopy(value)
        return result
    key = MERGE_KEYS.get(field)
    if builtin and key and isinstance(base, list) and isinstance(patch, list):
        result_list = copy.deepcopy(base)
        for item in patch:
            found = [i for i, old in enumerate(result_list) if old.get(key) == item.get(key)]
            if found:
                result_list[found[0]] = merge(result_list[found[0]], item, builtin)
            else:
                result_list.append(copy.deepcopy(item))
        return result_list
    return copy.deepcopy(patch)


def set_image(manifests: list[Manifest], image: dict[str, str]) -> None:
    """Kustomize's ``images`` transformer on every pod template's containers."""
    for manifest in manifests:
        spec = manifest.get("spec", {}).get("template", {}).get("spec", {})
        for container in spec.get("containers", []) + spec.get("initContainers", []):
            name, _, tag = container["image"].partition(":")
            if name == image["name"]:
                container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag or 'latest')}"


def validate(manifest: Manifest) -> None:
    """Raise if ``manifest`` does not validate against its kind's schema (strict: no unknown fields)."""
    schema_path = CRD_SCHEMAS.get((manifest["apiVersion"], manifest["kind"]))
    if schema_path is not None:
        schema = json.loads(schema_path.read_text())
        jsonschema.Draft202012Validator(schema).validate(manifest)
        return
    import kubernetes_validate

    kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def problems(directory: Path) -> list[str]:
    """Everything wrong with an overlay: rendering, then each manifest's validation."""
    try:
        manifests = render(directory)
    except (RenderError, OSError, KeyError, yaml.YAMLError) as error:
        return [f"{directory.name}: {error}"]
    found = []
    for manifest in manifests:
        try:
            validate(manifest)
        except Exception as error:  # kubernetes-validate and jsonschema errors share no base class
            kind, name = manifest.get("kind"), manifest.get("metadata", {}).get("name")
            found.append(f"{directory.name}: {kind}/{name}: {str(error).splitlines()[0]}")
    return found


def main(argv: list[str]) -> int:
    """Validate every overlay, or print the rendered manifests of the one named."""
    if argv:
        print(yaml.safe_dump_all(render((HERE / argv[0]).resolve()), sort_keys=False), end="")
        return 0
    failed = [problem for overlay in OVERLAYS for problem in problems(overlay)]
    for problem in failed:
        print(problem, file=sys.stderr)
    counts = {overlay.name: len(render(overlay)) for overlay in OVERLAYS} if not failed else {}
    for name, count in counts.items():
        print(f"{name}: {count} manifests valid (Kubernetes {KUBERNETES_VERSION}, KEDA schemas)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
