"""The monitoring configuration stays true to the code: the Grafana dashboards and the Prometheus alert
rules are well formed, and every PromQL expression in them names only metrics (and labels) that
``orchestrator.metrics`` exports. docker-compose.yml runs Prometheus and Grafana over these files.
(No Prometheus, Grafana or Docker runs in tests.)"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = ROOT / "deploy" / "grafana" / "dashboards"
PROVISIONING = ROOT / "deploy" / "grafana" / "provisioning"
PROMETHEUS = ROOT / "deploy" / "prometheus"

DASHBOARD_FILES = sorted(DASHBOARDS.glob("*.json"))
# Labels Prometheus adds to every scraped series.
TARGET_LABELS = {"job", "instance"}
# Grafana's interval macros, replaced by a duration before an expression is parsed.
GRAFANA_MACROS = re.compile(
    r"\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}"
)
LABEL_VALUES = re.compile(
    r"^\s*label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$"
)


# ---------------------------------------------------------------- what the code exports


def exported_metrics(redis_url: str) -> dict[str, set[str]]:
    """Every sample name ``orchestrator.metrics`` exports, with the labels it carries: its metric objects
    and what its Redis collector reads on a scrape (here from an empty Redis).

    A counter exports ``<name>_total``; a histogram ``_bucket`` (with ``le``), ``_sum`` and ``_count``;
    a summary ``_sum`` and ``_count``; a gauge its own name. (prometheus-client keeps label names in
    ``_labelnames`` only.)
    """
    from prometheus_client.metrics import MetricWrapperBase

    import orchestrator.metrics as metrics

    exported: dict[str, set[str]] = {}
    for value in vars(metrics).values():
        if not isinstance(value, MetricWrapperBase):
            continue
        labels = set(value._labelnames)
        name, kind = value._name, value._type
        if kind == "counter":
            exported[f"{name}_total"] = labels
        elif kind == "histogram":
            exported[f"{name}_bucket"] = labels | {"le"}
            exported[f"{name}_sum"] = labels
            exported[f"{name}_count"] = labels
        elif kind == "summary":
            exported[f"{name}_sum"] = labels
            exported[f"{name}_count"] = labels
        else:
            exported[name] = labels
    for family in metrics.RedisCollector(redis_url, ["sfn-tasks"]).collect():
        assert family.type == "gauge"
        exported[family.name] = set(getattr(family, "_labelnames", ()))
    return exported


@pytest.fixture(scope="module")
def exported(redis_url: str) -> dict[str, set[str]]:
    return exported_metrics(redis_url)


def test_the_metrics_the_code_exports_are_found(exported: dict[str, set[str]]) -> None:
    """What the other tests compare against is the real list (a guard against reading nothing)."""
    assert {
        "sfn_executions_started_total",
        "sfn_execution_duration_seconds_bucket",
        "sfn_queue_depth",
    } <= set(exported)
    assert exported["sfn_queue_depth"] == {"queue"}
    assert exported["sfn_execution_duration_seconds_bucket"] == {"state_machine", "status", "le"}


# ---------------------------------------------------------------- the expressions


def dashboard(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def panels(board: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel, rows' nested panels included."""
    for panel in board.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def dashboard_expressions(board: dict[str, Any]) -> list[str]:
    return [target["expr"] for panel in panels(board) for target in panel.get("targets", [])]


def variable_queries(board: dict[str, Any]) -> list[str]:
    queries = []
    for variable in board.get("templating", {}).get("list", []):
        if variable.get("type") == "query":
            query = variable["query"]
            queries.append(query["query"] if isinstance(query, dict) else query)
    return queries


def alert_rules() -> list[dict[str, Any]]:
    loaded = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    return [rule for group in loaded["groups"] for rule in group["rules"]]


def all_expressions() -> list[tuple[str, str]]:
    """(where, PromQL) for every dashboard target and alert rule."""
    found = [
        (f"{path.name}: {expr}", expr)
        for path in DASHBOARD_FILES
        for expr in dashboard_expressions(dashboard(path))
    ]
    found += [(f"alerts.yml {rule['alert']}", rule["expr"]) for rule in alert_rules()]
    return found


def plain_promql(expr: str) -> str:
    """The expression with Grafana's interval macros replaced, so that a PromQL parser reads it."""
    return GRAFANA_MACROS.sub("5m", expr)


def selectors(expr: str) -> list[tuple[str | None, list[str]]]:
    """(metric name, matcher label names) of every vector selector, from promql-parser's AST."""
    promql_parser = pytest.importorskip("promql_parser")
    found: list[tuple[str | None, list[str]]] = []

    def visit(node: Any) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            found.append((node.name, [matcher.name for matcher in node.matchers.matchers]))

    promql_parser.walk(promql_parser.parse(plain_promql(expr)), pre_visit=visit)
    return found


# Binary operators, modifiers and literals: identifiers that are not metric names.
KEYWORDS = {"and", "or", "unless", "bool", "offset", "inf", "nan"}
LABEL_LIST = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")


def tokenized_metric_names(expr: str) -> set[str]:
    """The metric names of an expression without a parser: identifiers that are not a function, an
    aggregation, a keyword, a label list, a matcher, a duration or a string."""
    text = re.sub(r"#[^\n]*", " ", plain_promql(expr))
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', " ", text)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = LABEL_LIST.sub(" ", text)
    text = re.sub(r"(?<![\w:.])\.?\d[\w.]*", " ", text)  # numbers and durations: 0.99, 1e3, 5m
    names = set()
    for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*(\()?)", text):
        name, call = match.group(0), match.group(1)
        if not call and name.lower() not in KEYWORDS:
            names.add(name)
    return names


EXPRESSIONS = all_expressions()


# ---------------------------------------------------------------- dashboards


@pytest.mark.parametrize("path", DASHBOARD_FILES, ids=lambda path: path.name)
def test_each_dashboard_is_valid_json_and_queries_the_provisioned_datasource(path: Path) -> None:
    board = dashboard(path)
    assert board["uid"] and board["title"] and board["schemaVersion"] >= 36
    datasource_uid = provisioned_datasource()["uid"]
    ids = [panel["id"] for panel in panels(board)]
    assert len(ids) == len(set(ids)), "panel ids repeat"
    for panel in panels(board):
        position = panel["gridPos"]
        assert {"h", "w", "x", "y"} <= position.keys() and position["x"] + position["w"] <= 24
        if panel["type"] == "row":
            continue
        assert panel["targets"], f"{panel['title']} queries nothing"
        assert panel["datasource"]["uid"] == datasource_uid
        ref_ids = [target["refId"] for target in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids))
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == datasource_uid


def test_dashboards_cover_executions_a_state_machine_and_workers_and_their_uids_differ() -> None:
    boards = [dashboard(path) for path in DASHBOARD_FILES]
    assert {path.name for path in DASHBOARD_FILES} >= {
        "executions-overview.json",
        "state-machine.json",
        "workers-queues.json",
    }
    assert len({board["uid"] for board in boards}) == len(boards)
    drill_down = dashboard(DASHBOARDS / "state-machine.json")
    assert [variable["name"] for variable in drill_down["templating"]["list"]] == ["state_machine"]
    assert all('state_machine="$state_machine"' in expr for expr in dashboard_expressions(drill_down))


@pytest.mark.parametrize("path", DASHBOARD_FILES, ids=lambda path: path.name)
def test_each_template_variable_lists_the_values_of_an_exported_metric_label(
    path: Path, exported: dict[str, set[str]]
) -> None:
    for query in variable_queries(dashboard(path)):
        match = LABEL_VALUES.match(query)
        assert match, f"not label_values(metric, label): {query}"
        metric, label = match.groups()
        assert metric in exported, f"{metric} is not exported"
        assert label in exported[metric], f"{metric} has no label {label}"


def grouping_labels(expr: str) -> set[str]:
    """The labels an expression's aggregations keep (``by (...)``): those its results carry."""
    return {
        label.strip()
        for group in re.findall(r"\bby\s*\(([^)]*)\)", expr)
        for label in group.split(",")
        if label.strip()
    }


@pytest.mark.parametrize("path", DASHBOARD_FILES, ids=lambda path: path.name)
def test_each_legend_names_labels_its_query_keeps(path: Path) -> None:
    for panel in panels(dashboard(path)):
        for target in panel.get("targets", []):
            legend_labels = set(re.findall(r"\{\{\s*(\w+)\s*\}\}", target.get("legendFormat", "")))
            assert legend_labels <= grouping_labels(target["expr"]), f"{panel['title']}: {target['expr']}"


# ---------------------------------------------------------------- alert rules


def test_alert_rules_follow_prometheus_rule_group_schema() -> None:
    loaded = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    assert set(loaded) == {"groups"}
    group_names = [group["name"] for group in loaded["groups"]]
    assert len(group_names) == len(set(group_names))
    for group in loaded["groups"]:
        assert set(group) <= {"name", "interval", "limit", "rules"} and group["rules"]
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "keep_firing_for", "labels", "annotations"}
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", rule["alert"])
            assert isinstance(rule["expr"], str) and rule["expr"].strip()
            assert re.fullmatch(r"(\d+(ms|s|m|h|d|w|y))+", rule["for"])
            assert rule["labels"]["severity"] in {"critical", "warning", "info"}
            assert {"summary", "description", "runbook"} <= rule["annotations"].keys()
            assert all(isinstance(value, str) for value in rule["annotations"].values())


def test_alerts_cover_failures_backlog_late_timers_and_coordinators_each_with_a_runbook_entry() -> None:
    names = [rule["alert"] for rule in alert_rules()]
    assert len(names) == len(set(names))
    assert {
        "SfnExecutionFailureRateHigh",
        "SfnQueueBacklogGrowing",
        "SfnTimersLate",
        "SfnNoCoordinatorHoldingLeases",
    } <= set(names)
    runbook = (ROOT / "docs" / "operations.md").read_text()
    alerts_section = runbook.split("## Alerts", 1)[1].split("\n## ", 1)[0]
    for rule in alert_rules():
        assert f"### {rule['alert']}" in alerts_section, (
            f"docs/operations.md does not explain {rule['alert']}"
        )
        assert rule["annotations"]["runbook"] == f"docs/operations.md#{rule['alert'].lower()}"


def test_each_alert_annotation_names_labels_its_expression_keeps() -> None:
    for rule in alert_rules():
        for text in rule["annotations"].values():
            labels = set(re.findall(r"\$labels\.(\w+)", text))
            assert labels <= grouping_labels(rule["expr"]), f"{rule['alert']}: {sorted(labels)}"
            assert text.count("{{") == text.count("}}")


# ---------------------------------------------------------------- every expression against the code


@pytest.mark.parametrize(("where", "expr"), EXPRESSIONS, ids=[where for where, _ in EXPRESSIONS])
def test_each_expression_parses_and_names_only_exported_metrics_and_their_labels(
    where: str, expr: str, exported: dict[str, set[str]]
) -> None:
    found = selectors(expr)
    assert found, "no metric at all"
    for name, matcher_labels in found:
        assert name is not None, "a selector without a metric name"
        assert name in exported, f"{name} is not exported by orchestrator.metrics"
        unknown = set(matcher_labels) - exported[name] - TARGET_LABELS
        assert not unknown, f"{name} has no label {sorted(unknown)}"
    assert {name for name, _ in found} == tokenized_metric_names(expr)


@pytest.mark.parametrize(("where", "expr"), EXPRESSIONS, ids=[where for where, _ in EXPRESSIONS])
def test_each_expression_names_exported_metrics_by_tokens_alone(
    where: str, expr: str, exported: dict[str, set[str]]
) -> None:
    """The same check without promql-parser (it is a dev dependency): names must still be exported."""
    names = tokenized_metric_names(expr)
    assert names, "no metric at all"
    assert not names - exported.keys(), f"not exported: {sorted(names - exported.keys())}"
    outside_strings = re.sub(r'"(?:[^"\\]|\\.)*"', "", plain_promql(expr))
    assert "$" not in outside_strings, "a Grafana variable outside a label matcher's string"
    assert expr.count("(") == expr.count(")") and expr.count("{") == expr.count("}")


def test_the_tokenizer_finds_metric_names_and_skips_the_rest() -> None:
    expr = (
        'sum by (le, queue) (rate(sfn_a_bucket{queue=~"$q"}[$__rate_interval])) / on (queue) '
        "group_left (x) max(sfn_b) or vector(0) and absent(sfn_c_total offset 5m) > bool 1e3"
    )
    assert tokenized_metric_names(expr) == {"sfn_a_bucket", "sfn_b", "sfn_c_total"}


# ---------------------------------------------------------------- Prometheus and Grafana in compose


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def provisioned_datasource() -> dict[str, Any]:
    loaded = yaml.safe_load((PROVISIONING / "datasources" / "prometheus.yml").read_text())
    [datasource] = loaded["datasources"]
    assert isinstance(datasource, dict)
    return datasource


def mounts(service: dict[str, Any]) -> dict[str, str]:
    """Container path -> host path (relative to the repository) of a service's bind mounts."""
    found = {}
    for volume in service.get("volumes", []):
        host, container = volume.split(":")[:2]
        if host.startswith("./"):
            found[container] = host.removeprefix("./")
    return found


def test_prometheus_scrapes_the_server_on_its_port_and_the_others_on_their_metrics_port() -> None:
    services = compose()["services"]
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    server_command = services["server"]["command"]
    server_port = server_command[server_command.index("--port") + 1]
    assert jobs["sfn-server"]["static_configs"][0]["targets"] == [f"server:{server_port}"]
    for name in ("coordinator", "worker"):
        command = services[name]["command"]
        assert "--metrics-port" in command, f"{name} serves no metrics"
        [discovery] = jobs[f"sfn-{name}"]["dns_sd_configs"]
        assert discovery["names"] == [name] and discovery["type"] == "A"
        assert str(discovery["port"]) == command[command.index("--metrics-port") + 1]
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]


def test_compose_runs_prometheus_with_the_rules_and_grafana_with_the_provisioned_dashboards() -> None:
    services = compose()["services"]
    prometheus = services["prometheus"]
    prometheus_mounts = mounts(prometheus)
    assert prometheus_mounts["/etc/prometheus"] == "deploy/prometheus"
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus["command"]
    assert provisioned_datasource()["url"] == "http://prometheus:9090"

    grafana_mounts = mounts(services["grafana"])
    assert grafana_mounts["/etc/grafana/provisioning"] == "deploy/grafana/provisioning"
    providers = yaml.safe_load((PROVISIONING / "dashboards" / "sfn.yml").read_text())["providers"]
    [provider] = providers
    assert grafana_mounts[provider["options"]["path"]] == "deploy/grafana/dashboards"
    for host in (*prometheus_mounts.values(), *grafana_mounts.values()):
        assert (ROOT / host).exists(), host
