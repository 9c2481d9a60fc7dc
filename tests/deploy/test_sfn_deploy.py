"""``sfn deploy`` against the embedded service: create, idempotence, updates that publish versions,
tags, dry runs, and refusals (invalid definitions, type changes) that leave everything untouched."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from orchestrator import cli
from orchestrator.deploy import ServiceApi, deploy
from orchestrator.deploy import command as command_module
from orchestrator.deploy.report import Reporter
from orchestrator.service import StepFunctionsService
from orchestrator.service.embedded import embedded_service

ROLE = "arn:aws:iam::111111111111:role/sfn"
PASS = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "${Value}", "End": true}}}'
CONFIG = f"""
defaults: {{roleArn: {ROLE}, tags: {{team: core}}}}
environments:
  dev: {{Value: dev-value, Stage: dev}}
  prod: {{Value: prod-value, Stage: prod}}
machines:
  alpha: {{name: "alpha-${{Stage}}"}}
  beta: {{name: "beta-${{Stage}}", type: EXPRESS}}
"""
BETA = "StartAt: S\nStates:\n  S: {Type: Pass, Result: {stage: '${Stage}'}, End: true}\n"
runner = CliRunner()


@pytest.fixture
def service() -> Iterator[StepFunctionsService]:
    service = embedded_service(account_id="111111111111")
    try:
        yield service
    finally:
        service.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "sfn-deploy.yaml").write_text(CONFIG)
    (tmp_path / "alpha.asl.json").write_text(PASS)
    (tmp_path / "beta.asl.yaml").write_text(BETA)
    return tmp_path


def arn(name: str) -> str:
    return f"arn:aws:states:us-east-1:111111111111:stateMachine:{name}"


def versions(service: StepFunctionsService, name: str) -> list[dict[str, Any]]:
    answer = service.list_state_machine_versions({"stateMachineArn": arn(name)})
    return [
        service.describe_state_machine({"stateMachineArn": v["stateMachineVersionArn"]})
        for v in answer["stateMachineVersions"]
    ]


def tags(service: StepFunctionsService, name: str) -> dict[str, str]:
    listed = service.list_tags_for_resource({"resourceArn": arn(name)})["tags"]
    return {t["key"]: t["value"] for t in listed}


def run(project: Path, service: StepFunctionsService, **options: Any) -> Any:
    return deploy(project, ServiceApi(service), reporter=Reporter(), **options)


def test_given_a_new_project_expect_every_machine_created_with_a_first_version(
    project: Path, service: StepFunctionsService
) -> None:
    result = run(project, service, env="dev")
    alpha = service.describe_state_machine({"stateMachineArn": arn("alpha-dev")})
    beta = service.describe_state_machine({"stateMachineArn": arn("beta-dev")})
    assert result.ok and [a.action for a in result.applied] == ["create", "create"]
    assert json.loads(alpha["definition"])["States"]["P"]["Result"] == "dev-value"
    assert json.loads(beta["definition"])["States"]["S"]["Result"] == {"stage": "dev"}
    assert (alpha["type"], beta["type"], alpha["roleArn"]) == ("STANDARD", "EXPRESS", ROLE)
    assert tags(service, "alpha-dev") == {"team": "core"}
    assert [v["stateMachineArn"] for v in versions(service, "alpha-dev")] == [result.applied[0].version_arn]
    assert versions(service, "alpha-dev")[0]["description"].startswith("sfn deploy: sha256 ")


def test_given_a_second_run_expect_nothing_changed(project: Path, service: StepFunctionsService) -> None:
    run(project, service, env="dev")
    again = run(project, service, env="dev")
    assert [p.action for p in again.plans] == ["unchanged", "unchanged"]
    assert again.applied == []
    assert len(versions(service, "alpha-dev")) == 1


def test_given_a_reformatted_file_expect_it_unchanged(project: Path, service: StepFunctionsService) -> None:
    run(project, service, env="dev")
    (project / "alpha.asl.json").write_text(json.dumps(json.loads(PASS), indent=4))
    assert [p.action for p in run(project, service, env="dev").plans] == ["unchanged", "unchanged"]


def test_given_a_changed_definition_expect_an_update_publishing_a_new_version(
    project: Path, service: StepFunctionsService
) -> None:
    run(project, service, env="dev")
    (project / "alpha.asl.json").write_text(PASS.replace('"End"', '"Comment": "v2", "End"'))
    result = run(project, service, env="dev")
    assert [(p.action, p.changes) for p in result.plans] == [("update", ("definition",)), ("unchanged", ())]
    assert result.applied[0].version_arn == arn("alpha-dev") + ":2"
    newest = versions(service, "alpha-dev")[0]
    assert json.loads(newest["definition"])["States"]["P"]["Comment"] == "v2"


def test_given_a_changed_role_and_tags_expect_both_applied(
    project: Path, service: StepFunctionsService
) -> None:
    run(project, service, env="dev")
    service.tag_resource({"resourceArn": arn("alpha-dev"), "tags": [{"key": "stray", "value": "x"}]})
    (project / "sfn-deploy.yaml").write_text(
        CONFIG.replace(f"roleArn: {ROLE}, tags: {{team: core}}", f"roleArn: {ROLE}2, tags: {{team: edge}}")
    )
    result = run(project, service, env="dev")
    alpha = result.plans[0]
    assert alpha.changes == ("roleArn", "tags")
    assert (alpha.tags_to_set, alpha.tags_to_remove) == ({"team": "edge"}, ("stray",))
    assert service.describe_state_machine({"stateMachineArn": arn("alpha-dev")})["roleArn"] == ROLE + "2"
    assert tags(service, "alpha-dev") == {"team": "edge"}
    assert len(versions(service, "alpha-dev")) == 2


def test_given_only_tags_changed_expect_no_new_version(project: Path, service: StepFunctionsService) -> None:
    run(project, service, env="dev")
    (project / "sfn-deploy.yaml").write_text(CONFIG.replace("{team: core}", "{team: core, cost: 7}"))
    result = run(project, service, env="dev")
    assert [(a.name, a.version_arn) for a in result.applied] == [("alpha-dev", None), ("beta-dev", None)]
    assert tags(service, "beta-dev") == {"team": "core", "cost": "7"}
    assert len(versions(service, "beta-dev")) == 1


def test_given_a_dry_run_expect_a_plan_and_diff_and_nothing_touched(
    project: Path, service: StepFunctionsService, capsys: pytest.CaptureFixture[str]
) -> None:
    run(project, service, env="dev")
    (project / "alpha.asl.json").write_text(PASS.replace("${Value}", "changed"))
    result = run(project, service, env="dev", dry_run=True)
    out = capsys.readouterr().out
    assert [p.action for p in result.plans] == ["update", "unchanged"] and result.applied == []
    assert '-      "Result": "dev-value",\n+      "Result": "changed",' in out
    assert "~ update alpha-dev (alpha.asl.json): definition" in out
    assert "dry run: nothing changed" in out
    deployed = service.describe_state_machine({"stateMachineArn": arn("alpha-dev")})["definition"]
    assert json.loads(deployed)["States"]["P"]["Result"] == "dev-value"


def test_given_one_invalid_file_expect_nothing_deployed_and_its_location_named(
    project: Path, service: StepFunctionsService, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "beta.asl.yaml").write_text("StartAt: S\nStates:\n  S: {Type: Pass, Next: Missing}\n")
    result = run(project, service, env="dev")
    err = capsys.readouterr().err
    assert not result.ok and result.plans == []
    assert "beta.asl.yaml: ERROR MISSING_TRANSITION_TARGET" in err and "at /States/S/Next" in err
    assert service.list_state_machines({})["stateMachines"] == []


def test_given_a_type_change_expect_the_plan_refused(project: Path, service: StepFunctionsService) -> None:
    run(project, service, env="dev")
    (project / "sfn-deploy.yaml").write_text(CONFIG.replace("type: EXPRESS", "type: STANDARD"))
    (project / "alpha.asl.json").write_text(PASS.replace("${Value}", "changed"))
    result = run(project, service, env="dev")
    assert not result.ok and result.applied == []
    assert "cannot be updated" in (result.plans[1].problem or "")
    assert len(versions(service, "alpha-dev")) == 1


def test_given_a_git_work_tree_expect_the_commit_as_version_description(
    project: Path, service: StepFunctionsService
) -> None:
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "machines"], check=True)
    head = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout
    run(project, service, env="dev")
    assert versions(service, "alpha-dev")[0]["description"] == f"sfn deploy: git {head[:12]}"
    (project / "alpha.asl.json").write_text(PASS.replace("${Value}", "uncommitted"))
    run(project, service, env="dev")
    assert f"git {head[:12]}+dirty sha256 " in versions(service, "alpha-dev")[0]["description"]


# the command: exit codes ----------------------------------------------------------------------------


@pytest.fixture
def cli_service(service: StepFunctionsService, monkeypatch: pytest.MonkeyPatch) -> StepFunctionsService:
    monkeypatch.setattr(command_module, "open_api", lambda *_: ServiceApi(service))
    return service


def test_given_the_command_expect_exit_0_and_the_plan(
    project: Path, cli_service: StepFunctionsService
) -> None:
    result = runner.invoke(cli.app, ["deploy", str(project), "--env", "prod"])
    assert result.exit_code == 0, result.output
    assert "+ create alpha-prod (alpha.asl.json)" in result.output
    assert "created beta-prod: version " + arn("beta-prod") + ":1" in result.output


def test_given_an_invalid_definition_expect_exit_1(project: Path, cli_service: StepFunctionsService) -> None:
    (project / "alpha.asl.json").write_text('{"StartAt": "Nowhere", "States": {}}')
    assert runner.invoke(cli.app, ["deploy", str(project), "--env", "dev"]).exit_code == 1


@pytest.mark.parametrize("args", [["--env", "qa"], ["--nope"]])
def test_given_a_usage_error_expect_exit_2(
    project: Path, cli_service: StepFunctionsService, args: list[str]
) -> None:
    assert runner.invoke(cli.app, ["deploy", str(project), *args]).exit_code == 2


def test_given_two_targets_expect_exit_2_before_connecting(project: Path) -> None:
    args = ["deploy", str(project), "--endpoint-url", "http://127.0.0.1:1", "--redis", "redis://127.0.0.1:1"]
    result = runner.invoke(cli.app, args)
    assert result.exit_code == 2 and "not both" in result.output


def test_given_a_resource_the_service_refuses_expect_exit_3(
    project: Path, cli_service: StepFunctionsService
) -> None:
    sqs = '{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}'
    (project / "beta.asl.yaml").write_text(sqs)
    result = runner.invoke(cli.app, ["deploy", str(project), "--env", "dev"])
    assert result.exit_code == 3
    assert "InvalidDefinition" in result.output


def test_given_a_terminal_expect_a_table_and_a_coloured_diff(
    project: Path, service: StepFunctionsService
) -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120)
    deploy(project, ServiceApi(service), env="dev", reporter=Reporter(console, console))
    (project / "alpha.asl.json").write_text(PASS.replace("${Value}", "changed"))
    deploy(project, ServiceApi(service), env="dev", dry_run=True, reporter=Reporter(console, console))
    shown = screen.getvalue()
    assert "sfn deploy plan" in shown and "┃" in shown
    assert "\x1b[" in shown and '"Result": "changed"' in shown


@pytest.mark.redis
def test_given_redis_expect_machines_deployed_into_the_shared_store(project: Path, redis_url: str) -> None:
    result = runner.invoke(cli.app, ["deploy", str(project), "--env", "dev", "--redis", redis_url])
    again = runner.invoke(cli.app, ["deploy", str(project), "--env", "dev", "--redis", redis_url])
    assert result.exit_code == 0, result.output
    assert "created alpha-dev" in result.output and "2 unchanged" in again.output


def test_given_broken_yaml_and_an_invalid_json_file_expect_both_reported(
    project: Path, service: StepFunctionsService, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "alpha.asl.json").write_text('{"StartAt": "Nowhere", "States": {}}')
    (project / "beta.asl.yaml").write_text("StartAt: [unclosed\n")
    result = run(project, service, env="dev")
    err = capsys.readouterr().err
    assert not result.ok
    assert "alpha.asl.json: ERROR" in err and "beta.asl.yaml: ERROR INVALID_YAML" in err
