"""``sfn deploy --endpoint-url``: boto3 over HTTP to the ``sfn server`` app (uvicorn on a loopback port)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orchestrator import cli
from orchestrator.service.embedded import embedded_service
from tests.api.conftest import RunningServer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "deploy"
runner = CliRunner()


@pytest.fixture
def server() -> Iterator[RunningServer]:
    service = embedded_service(time_skipping=True)
    try:
        with RunningServer(service) as running:
            yield running
    finally:
        service.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "deploy"))


def deploy(project: Path, server: RunningServer, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli.app, ["deploy", str(project), "--endpoint-url", server.url, *args])
    return result.exit_code, result.output


def test_given_the_example_over_http_expect_created_then_unchanged_then_updated(
    project: Path, server: RunningServer
) -> None:
    sfn = server.client()
    assert deploy(project, server, "--env", "dev", "--dry-run")[0] == 0
    assert sfn.list_state_machines()["stateMachines"] == []

    code, output = deploy(project, server, "--env", "dev")
    assert code == 0, output
    names = sorted(m["name"] for m in sfn.list_state_machines()["stateMachines"])
    orders = next(m for m in sfn.list_state_machines()["stateMachines"] if m["name"] == "orders-dev")
    described = sfn.describe_state_machine(stateMachineArn=orders["stateMachineArn"])
    assert names == ["orders-dev", "refunds-dev"]
    assert (
        json.loads(described["definition"])["States"]["Archive"]["Parameters"]["bucket"]
        == "orders-dev-archive"
    )

    code, output = deploy(project, server, "--env", "dev")
    assert code == 0 and "0 to create, 0 to update, 2 unchanged" in output

    orders_file = project / "orders.asl.json"
    orders_file.write_text(orders_file.read_text().replace("Charge an order", "Charge one order"))
    code, output = deploy(project, server, "--env", "dev")
    listed = sfn.list_state_machine_versions(stateMachineArn=orders["stateMachineArn"])[
        "stateMachineVersions"
    ]
    assert code == 0 and "~ update orders-dev (orders.asl.json): definition" in output
    assert len(listed) == 2
    newest = sfn.describe_state_machine(stateMachineArn=listed[0]["stateMachineVersionArn"])
    assert newest["description"].startswith("sfn deploy: ")


def test_given_an_invalid_file_over_http_expect_exit_1_and_its_location(
    project: Path, server: RunningServer
) -> None:
    (project / "refunds.asl.yaml").write_text("StartAt: Route\nStates:\n  Route: {Type: Pass}\n")
    code, output = deploy(project, server, "--env", "prod")
    assert code == 1
    assert "refunds.asl.yaml: ERROR" in output and "/States/Route" in output
    assert server.client().list_state_machines()["stateMachines"] == []


def test_given_no_server_listening_expect_exit_3(project: Path) -> None:
    result = runner.invoke(
        cli.app, ["deploy", str(project), "--env", "dev", "--endpoint-url", "http://127.0.0.1:9"]
    )
    assert result.exit_code == 3
