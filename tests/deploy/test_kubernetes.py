"""deploy/kubernetes stays valid and true to the code: every overlay renders (as Kustomize would) into
manifests that validate against Kubernetes' and KEDA's schemas, every container runs an ``sfn`` command
the CLI accepts, and the probes, grace periods and autoscaling targets follow from the code's settings.
(No cluster, kubectl or kustomize runs in tests: deploy/kubernetes/check.py renders and validates.)"""

from __future__ import annotations

import copy
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
import typer.main
import yaml

from orchestrator.cli import app
from orchestrator.transport.celery import DEFAULT_QUEUE, TIMER_QUEUE
from workers.celery_app import create_app

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
OVERLAY_NAMES = ["redis-statefulset", "external-redis", "hpa-fallback"]


def load_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("k8s_check", KUBERNETES / "check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["k8s_check"] = module
    spec.loader.exec_module(module)
    return module


check = load_check()


def rendered(overlay: str) -> list[dict[str, Any]]:
    manifests: list[dict[str, Any]] = check.render(KUBERNETES / "overlays" / overlay)
    return manifests


def find(manifests: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    matches = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} found"
    return matches[0]


def container(manifests: list[dict[str, Any]], name: str) -> dict[str, Any]:
    pod = find(manifests, "Deployment", f"sfn-{name}")["spec"]["template"]["spec"]
    found: dict[str, Any] = pod["containers"][0]
    return found


def option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def cli_options(subcommand: str) -> set[str]:
    command = typer.main.get_command(app).get_command(None, subcommand)  # type: ignore[attr-defined]
    return {opt for param in command.params for opt in param.opts}


# --- every overlay -------------------------------------------------------------------------------------


def test_the_overlays_are_the_ones_checked() -> None:
    assert [path.name for path in check.OVERLAYS] == sorted(OVERLAY_NAMES)


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_manifest_of_an_overlay_validates(overlay: str) -> None:
    assert check.problems(KUBERNETES / "overlays" / overlay) == []


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
@pytest.mark.parametrize("name", ["server", "coordinator", "worker"])
def test_each_container_runs_a_command_the_cli_accepts(overlay: str, name: str) -> None:
    given = container(rendered(overlay), name)
    args = list(given["args"])
    env_names = {entry["name"] for entry in given["env"]}
    for arg in args:  # Kubernetes expands $(VAR) from the container's env: each must be defined there
        assert set(re.findall(r"\$\((\w+)\)", arg)) <= env_names
    if "--metrics-port" in args and "--metrics-port" not in cli_options(
        args[0]
    ):  # added by the metrics work; accept it ahead
        index = args.index("--metrics-port")
        del args[index : index + 2]
    command = typer.main.get_command(app)
    subcommand = command.get_command(None, args[0])  # type: ignore[attr-defined]
    subcommand.make_context(args[0], args[1:])  # raises on an unknown option or a bad value
    assert given["image"].startswith("sfn-orchestrator:")


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_every_secret_reference_names_the_redis_secret(overlay: str) -> None:
    example = check.load(KUBERNETES / "overlays" / "external-redis" / "secret.example.yaml")[0]
    in_cluster = find(rendered("redis-statefulset"), "Secret", "sfn-redis")
    for name in ["server", "coordinator", "worker"]:
        for entry in container(rendered(overlay), name)["env"]:
            ref = entry["valueFrom"]["secretKeyRef"]
            assert ref["name"] == "sfn-redis"
            assert ref["key"] in example["stringData"]
            assert ref["key"] in in_cluster["stringData"]


# --- probes and shutdown --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["coordinator", "worker"])
def test_coordinator_and_worker_probes_use_the_metrics_port(name: str) -> None:
    given = container(rendered("redis-statefulset"), name)
    port = option(given["args"], "--metrics-port")
    ports = {entry["name"]: entry["containerPort"] for entry in given["ports"]}
    assert str(ports["metrics"]) == port
    assert given["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}
    assert given["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}


def test_the_coordinator_and_worker_commands_know_the_metrics_port() -> None:
    missing = [name for name in ["coordinator", "worker"] if "--metrics-port" not in cli_options(name)]
    if missing:
        pytest.skip(f"--metrics-port not yet an option of sfn {', '.join(missing)}")


def test_the_server_probes_its_api_port_health_route() -> None:
    given = container(rendered("redis-statefulset"), "server")
    assert {entry["name"]: entry["containerPort"] for entry in given["ports"]} == {"http": 8083}
    assert option(given["args"], "--port") == "8083"
    for probe in ["livenessProbe", "readinessProbe"]:
        assert given[probe]["httpGet"] == {"path": "/health", "port": "http"}


@pytest.mark.parametrize("overlay", OVERLAY_NAMES)
def test_no_probe_runs_celery_inspect(overlay: str) -> None:
    text = yaml.safe_dump_all(rendered(overlay))
    assert "inspect" not in text


def test_workers_get_the_longest_task_timeout_to_shut_down_warm() -> None:
    worker = find(rendered("redis-statefulset"), "Deployment", "sfn-worker")
    longest = int(worker["metadata"]["annotations"]["sfn.dev/longest-task-timeout-seconds"])
    grace = worker["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
    args = worker["spec"]["template"]["spec"]["containers"][0]["args"]
    assert longest < grace <= longest + 60
    assert float(option(args, "--visibility-timeout")) > grace  # a task is redelivered only once lost


# --- scaling ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("overlay", ["redis-statefulset", "external-redis"])
def test_keda_scales_workers_on_each_queue_they_consume(overlay: str) -> None:
    manifests = rendered(overlay)
    args = container(manifests, "worker")["args"]
    queues = option(args, "--queues").split(",")
    assert {DEFAULT_QUEUE, TIMER_QUEUE} <= set(queues)
    prefetch = create_app("redis://unused:6379/0").conf.worker_prefetch_multiplier
    scaled = find(manifests, "ScaledObject", "sfn-worker")
    assert scaled["spec"]["scaleTargetRef"]["name"] == "sfn-worker"
    triggers = scaled["spec"]["triggers"]
    assert sorted(t["metadata"]["listName"] for t in triggers) == sorted(queues)
    for trigger in triggers:
        assert trigger["type"] == "redis"
        assert int(trigger["metadata"]["listLength"]) == int(option(args, "--concurrency")) * prefetch
        env = {entry["name"] for entry in container(manifests, "worker")["env"]}
        assert trigger["metadata"]["addressFromEnv"] in env
    assert "replicas" not in find(manifests, "Deployment", "sfn-worker")["spec"]  # the autoscaler's


def test_external_redis_scaler_uses_tls_and_the_acl_user() -> None:
    manifests = rendered("external-redis")
    auth = find(manifests, "TriggerAuthentication", "sfn-redis")
    parameters = {ref["parameter"] for ref in auth["spec"]["secretTargetRef"]}
    assert parameters == {"username", "password", "ca"}
    for trigger in find(manifests, "ScaledObject", "sfn-worker")["spec"]["triggers"]:
        assert trigger["metadata"]["enableTLS"] == "true"
        assert trigger["authenticationRef"] == {"name": "sfn-redis"}
    example = check.load(KUBERNETES / "overlays" / "external-redis" / "secret.example.yaml")[0]
    assert example["stringData"]["url"].startswith("rediss://")
    ca_path = re.search(r"ssl_ca_certs=([^&]+)", example["stringData"]["url"])
    assert ca_path is not None
    for name in ["server", "coordinator", "worker"]:
        mounts = {m["mountPath"] for m in container(manifests, name)["volumeMounts"]}
        assert str(Path(ca_path.group(1)).parent) in mounts


def test_hpa_fallback_replaces_the_scaled_object() -> None:
    manifests = rendered("hpa-fallback")
    assert not [m for m in manifests if m["kind"] == "ScaledObject"]
    hpa = find(manifests, "HorizontalPodAutoscaler", "sfn-worker")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "sfn-worker",
    }
    worker = container(manifests, "worker")
    assert worker["resources"]["requests"]["cpu"]  # CPU utilization needs a request


@pytest.mark.parametrize("name", ["coordinator", "server"])
def test_coordinators_and_servers_survive_a_voluntary_disruption(name: str) -> None:
    manifests = rendered("redis-statefulset")
    deployment = find(manifests, "Deployment", f"sfn-{name}")
    budget = find(manifests, "PodDisruptionBudget", f"sfn-{name}")
    assert deployment["spec"]["replicas"] >= 2
    assert 1 <= budget["spec"]["minAvailable"] < deployment["spec"]["replicas"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_in_cluster_redis_persists_every_write_and_never_evicts() -> None:
    redis = find(rendered("redis-statefulset"), "StatefulSet", "sfn-redis")
    args = redis["spec"]["template"]["spec"]["containers"][0]["args"]
    assert option(args, "--appendonly") == "yes"
    assert option(args, "--maxmemory-policy") == "noeviction"
    assert redis["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"


# --- the renderer and the validators themselves -----------------------------------------------------------


def deployment() -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {
            "template": {
                "spec": {
                    "containers": [
                        {
                            "name": "a",
                            "image": "x",
                            "args": ["1", "2"],
                            "volumeMounts": [{"name": "v", "mountPath": "/p"}],
                        },
                        {"name": "b", "image": "y"},
                    ]
                }
            }
        },
    }


def test_a_patch_merges_built_in_lists_by_their_merge_key() -> None:
    patch = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {
            "template": {
                "spec": {
                    "containers": [
                        {"name": "a", "args": ["3"], "volumeMounts": [{"name": "w", "mountPath": "/p"}]}
                    ]
                }
            }
        },
    }
    [merged] = check.apply_patch([deployment()], patch)
    containers = merged["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == ["a", "b"]
    assert containers[0]["args"] == ["3"]  # lists of scalars are replaced
    assert containers[0]["volumeMounts"] == [{"name": "w", "mountPath": "/p"}]  # merged by mountPath
    assert containers[0]["image"] == "x"


def test_a_patch_replaces_a_custom_resources_lists_and_can_delete_it() -> None:
    scaled = {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {"name": "s"}}
    given = {**scaled, "spec": {"triggers": [{"name": "a", "type": "redis"}, {"name": "b", "type": "redis"}]}}
    [merged] = check.apply_patch([given], {**scaled, "spec": {"triggers": [{"name": "a", "type": "cpu"}]}})
    assert merged["spec"]["triggers"] == [{"name": "a", "type": "cpu"}]
    assert check.apply_patch([given, deployment()], {**scaled, "$patch": "delete"}) == [deployment()]


def test_a_patch_without_a_target_or_a_field_kustomize_would_read_is_refused(tmp_path: Path) -> None:
    patch = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "other"}}
    with pytest.raises(check.RenderError, match="matches 0 resources"):
        check.apply_patch([deployment()], patch)
    (tmp_path / "kustomization.yaml").write_text("resources: []\nnamespace: prod\n")
    with pytest.raises(check.RenderError, match="namespace"):
        check.render(tmp_path)


def test_images_set_the_name_and_tag_of_matching_containers() -> None:
    manifests = [deployment()]
    check.set_image(manifests, {"name": "x", "newName": "registry/x", "newTag": "1.2"})
    images = [c["image"] for c in manifests[0]["spec"]["template"]["spec"]["containers"]]
    assert images == ["registry/x:1.2", "y"]


def test_validation_refuses_an_unknown_field_of_a_built_in_kind() -> None:
    worker = copy.deepcopy(find(rendered("redis-statefulset"), "Deployment", "sfn-worker"))
    worker["spec"]["template"]["spec"]["containers"][0]["livenessProb"] = {}
    with pytest.raises(Exception, match="livenessProb"):
        check.validate(worker)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("spec", "minReplicaCount"), "1", "is not of type 'integer'"),
        (("spec", "trigers"), [], "'trigers' was unexpected"),
        (("spec", "triggers", 0, "metadata", "listLength"), 4, "is not of type 'string'"),
    ],
)
def test_validation_refuses_a_scaled_object_keda_would_refuse(
    path: tuple[Any, ...], value: Any, message: str
) -> None:
    scaled = copy.deepcopy(find(rendered("redis-statefulset"), "ScaledObject", "sfn-worker"))
    target = scaled
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError, match=message):
        check.validate(scaled)


def test_the_validation_command_passes() -> None:
    assert check.main([]) == 0
