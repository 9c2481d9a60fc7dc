"""A deploy directory read for one environment: files, sfn-deploy.yaml, parameters and settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestrator.deploy.errors import ConfigError, UsageError
from orchestrator.deploy.project import load_project

PASS = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "${Value}", "End": true}}}'
ROLE = "arn:aws:iam::111111111111:role/r"


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


def test_given_parameters_at_every_level_expect_later_levels_to_win(tmp_path: Path) -> None:
    config = f"""
defaults: {{roleArn: {ROLE}}}
substitutions: {{Value: global, A: global}}
environments: {{dev: {{Value: env, B: env}}}}
machines:
  m:
    substitutions: {{Value: machine}}
    environments: {{dev: {{Value: machine-env}}}}
"""
    directory = tree(tmp_path, {"sfn-deploy.yaml": config, "m.asl.json": PASS, "n.asl.json": PASS})
    machines = {m.name: m for m in load_project(directory, "dev")}
    assert json.loads(machines["m"].definition)["States"]["P"]["Result"] == "machine-env"
    assert json.loads(machines["n"].definition)["States"]["P"]["Result"] == "env"
    assert json.loads(load_project(directory, None)[1].definition)["States"]["P"]["Result"] == "global"


def test_given_settings_expect_defaults_merged_and_placeholders_filled(tmp_path: Path) -> None:
    config = """
defaults:
  roleArn: arn:aws:iam::${Account}:role/r
  tags: {team: t, stage: "${Stage}"}
  logging: {level: "OFF"}
environments: {prod: {Account: "222222222222", Stage: prod}}
machines:
  m: {name: "m-${Stage}", type: express, tags: {tier: gold}, tracing: true}
"""
    directory = tree(
        tmp_path, {"sfn-deploy.yaml": config, "m.asl.yaml": "StartAt: P\nStates: {P: {Type: Succeed}}\n"}
    )
    (machine,) = load_project(directory, "prod")
    assert (machine.name, machine.type, machine.role_arn) == (
        "m-prod",
        "EXPRESS",
        "arn:aws:iam::222222222222:role/r",
    )
    assert machine.tags == {"team": "t", "stage": "prod", "tier": "gold"}
    assert machine.tracing == {"enabled": True}
    assert machine.logging == {"level": "OFF", "includeExecutionData": False}
    assert json.loads(machine.definition) == {"StartAt": "P", "States": {"P": {"Type": "Succeed"}}}


def test_given_a_json_file_expect_its_text_deployed_as_it_is(tmp_path: Path) -> None:
    text = '{"StartAt":"P",\n  "States":{"P":{"Type":"Succeed"}}}'
    directory = tree(tmp_path, {"sfn-deploy.yaml": f"defaults: {{roleArn: {ROLE}}}", "m.asl.json": text})
    assert load_project(directory, None)[0].definition == text


def test_given_an_unfilled_placeholder_expect_it_kept_and_located(tmp_path: Path) -> None:
    directory = tree(tmp_path, {"sfn-deploy.yaml": f"defaults: {{roleArn: {ROLE}}}", "m.asl.json": PASS})
    (machine,) = load_project(directory, None)
    assert machine.unresolved == [("/States/P/Result", "${Value}")]


def test_given_an_unknown_environment_expect_a_usage_error(tmp_path: Path) -> None:
    directory = tree(tmp_path, {"sfn-deploy.yaml": "environments: {dev: {}}", "m.asl.json": PASS})
    with pytest.raises(UsageError, match="unknown environment 'qa'"):
        load_project(directory, "qa")


@pytest.mark.parametrize(
    ("config", "message", "location"),
    [
        ("defaults: {rolearn: x}", "unknown key 'rolearn'", "/defaults"),
        ("machines: {m: {type: FAST}}", "type must be STANDARD or EXPRESS", "/machines/m/type"),
        ("environments: {dev: {Bucket: [a]}}", "a substitution must be", "/environments/dev/Bucket"),
        ("machines: {gone: {}}", "machine 'gone' has no definition file", "/machines/gone"),
        ("machines: {m: {}}", "no roleArn for 'm'", "/machines/m"),
    ],
)
def test_given_a_malformed_config_expect_the_file_and_location_named(
    tmp_path: Path, config: str, message: str, location: str
) -> None:
    directory = tree(tmp_path, {"sfn-deploy.yaml": config, "m.asl.json": PASS})
    with pytest.raises(ConfigError, match=message) as caught:
        load_project(directory, None)
    assert (caught.value.file, caught.value.location) == ("sfn-deploy.yaml", location)


def test_given_two_files_deploying_one_name_expect_a_config_error(tmp_path: Path) -> None:
    config = f"defaults: {{roleArn: {ROLE}, }}\nmachines: {{a: {{name: same}}, b: {{name: same}}}}"
    directory = tree(tmp_path, {"sfn-deploy.yaml": config, "a.asl.json": PASS, "b.asl.json": PASS})
    with pytest.raises(ConfigError, match="both deploy 'same'"):
        load_project(directory, None)


def test_given_yaml_broken_by_a_substitution_expect_the_reason_kept_for_validation(tmp_path: Path) -> None:
    config = f"defaults: {{roleArn: {ROLE}}}\nsubstitutions: {{V: 'a: b: c'}}"
    directory = tree(tmp_path, {"sfn-deploy.yaml": config, "m.asl.yaml": "Comment: ${V}\nStartAt: P\n"})
    (machine,) = load_project(directory, None)
    assert machine.yaml_error is not None and "line 1" in machine.yaml_error


def test_given_a_setting_placeholder_no_parameter_fills_expect_a_config_error(tmp_path: Path) -> None:
    config = "defaults: {roleArn: 'arn:aws:iam::${Account}:role/r'}\nenvironments: {dev: {Account: '1'}}"
    directory = tree(tmp_path, {"sfn-deploy.yaml": config, "m.asl.json": PASS})
    with pytest.raises(ConfigError, match=r"no parameter for \$\{Account\}.*no --env given") as caught:
        load_project(directory, None)
    assert caught.value.location == "/machines/m/roleArn"
