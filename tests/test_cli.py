"""``sfn`` driven through typer's CliRunner. ``run`` is exercised against a fake runtime (exit codes,
output, history table) and once end to end against the embedded runtime."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from orchestrator import cli
from orchestrator.service import StepFunctionsService
from orchestrator.service import embedded as embedded_module
from orchestrator.store.memory import MemoryStore
from tests.api.conftest import free_port
from tests.service.conftest import FakeResolver, FakeRuntime

runner = CliRunner()

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


class EndingRuntime(FakeRuntime):
    """Ends every execution with a chosen status."""

    status = "SUCCEEDED"

    def launch(self, machine: Any, execution: Any) -> None:
        self.hold = self.status != "SUCCEEDED"
        super().launch(machine, execution)
        if self.hold:
            self._finish(execution.arn, status=self.status, error="Boom", cause="it broke")


@pytest.fixture
def fake_embedded(monkeypatch: pytest.MonkeyPatch) -> EndingRuntime:
    runtime = EndingRuntime(MemoryStore())

    def build(**_: Any) -> StepFunctionsService:
        return StepFunctionsService(runtime.store, runtime, FakeResolver())  # type: ignore[arg-type]

    monkeypatch.setattr(embedded_module, "embedded_service", build)
    return runtime


def test_given_a_valid_definition_when_validated_expect_exit_0(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["validate", str(write(tmp_path, "m.json", json.dumps(PASS)))])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_given_an_invalid_yaml_definition_expect_every_diagnostic_and_exit_1(tmp_path: Path) -> None:
    yaml_text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nowhere\n  B:\n    Type: Succeed\n"
    result = runner.invoke(cli.app, ["validate", str(write(tmp_path, "m.yaml", yaml_text))])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) >= 2
    assert all(": " in line and " at /" in line for line in lines)


def test_given_text_that_is_not_a_definition_expect_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["validate", str(write(tmp_path, "m.json", "[1, 2]"))])
    assert result.exit_code == 1
    assert "SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object" in result.stdout


def test_given_a_succeeding_run_expect_output_on_stdout(tmp_path: Path, fake_embedded: EndingRuntime) -> None:
    definition = write(tmp_path, "m.json", json.dumps(PASS))
    result = runner.invoke(cli.app, ["run", str(definition), "--input", '{"a": 1}', "--name", "first"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"a": 1}
    assert fake_embedded.launched[0][1].name == "first"


def test_given_input_from_a_file_expect_it_used(tmp_path: Path, fake_embedded: EndingRuntime) -> None:
    definition = write(tmp_path, "m.json", json.dumps(PASS))
    data = write(tmp_path, "in.json", "[1, 2]")
    result = runner.invoke(cli.app, ["run", str(definition), "--input", f"@{data}"])
    assert json.loads(result.stdout) == [1, 2]


@pytest.mark.parametrize(("status", "code"), [("FAILED", 1), ("TIMED_OUT", 2), ("ABORTED", 2)])
def test_given_an_unsuccessful_run_expect_its_exit_code_and_error(
    tmp_path: Path, fake_embedded: EndingRuntime, status: str, code: int
) -> None:
    fake_embedded.status = status
    result = runner.invoke(cli.app, ["run", str(write(tmp_path, "m.json", json.dumps(PASS)))])
    assert result.exit_code == code
    assert "Boom" in result.stderr and "it broke" in result.stderr and result.stdout == ""


def test_given_invalid_input_expect_exit_3(tmp_path: Path, fake_embedded: EndingRuntime) -> None:
    result = runner.invoke(
        cli.app, ["run", str(write(tmp_path, "m.json", json.dumps(PASS))), "--input", "{x"]
    )
    assert result.exit_code == 3
    assert "InvalidExecutionInput" in result.stderr


def test_given_a_definition_that_is_not_json_expect_exit_3(
    tmp_path: Path, fake_embedded: EndingRuntime
) -> None:
    result = runner.invoke(cli.app, ["run", str(write(tmp_path, "m.json", "{"))])
    assert result.exit_code == 3


def test_given_history_expect_a_table_of_events_on_stderr(
    tmp_path: Path, fake_embedded: EndingRuntime
) -> None:
    result = runner.invoke(cli.app, ["run", str(write(tmp_path, "m.json", json.dumps(PASS))), "--history"])
    assert result.exit_code == 0
    assert "ExecutionStarted" in result.stderr and "ExecutionSucceeded" in result.stderr


def test_given_history_events_expect_state_names_and_details_in_rows() -> None:
    events = [
        {"id": 2, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "P", "input": "{}"}},
        {"id": 3, "type": "ExecutionSucceeded", "executionSucceededEventDetails": {"output": "x" * 200}},
    ]
    table = cli.history_table(events)
    assert table.row_count == 2
    assert cli._state_name(events[0]) == "P" and cli._summary(events[1]).endswith("…")


def test_given_a_pass_choice_machine_when_run_embedded_expect_its_output(tmp_path: Path) -> None:
    definition = {
        "StartAt": "Choose",
        "States": {
            "Choose": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}],
                "Default": "Small",
            },
            "Big": {"Type": "Pass", "Result": {"size": "big"}, "End": True},
            "Small": {"Type": "Pass", "Result": {"size": "small"}, "End": True},
        },
    }
    path = write(tmp_path, "m.json", json.dumps(definition))
    result = runner.invoke(cli.app, ["run", str(path), "--input", '{"n": 5}', "--time-skipping"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"size": "big"}


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_given_a_running_server_when_signalled_expect_a_clean_exit(signal_number: int) -> None:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "orchestrator.cli",
        "server",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, process.stderr.read()
            time.sleep(0.1)
        process.send_signal(signal_number)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


EXAMPLES = Path(__file__).parent.parent / "examples" / "mocking"


def test_given_a_mock_config_and_a_test_case_expect_the_mocked_run(tmp_path: Path) -> None:
    machine = tmp_path / "LambdaSQSIntegration.asl.json"  # the machine name the mock file knows
    machine.write_text((EXAMPLES / "machine.asl.json").read_text())

    result = runner.invoke(
        cli.app,
        [
            "run",
            str(machine),
            "--mock-config",
            str(EXAMPLES / "MockConfigFile.json"),
            "--test-case",
            "HappyPath",
            "--time-skipping",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "MessageId" in result.stdout


def test_given_an_invalid_mock_config_expect_its_problems_and_the_rejected_exit_code(tmp_path: Path) -> None:
    machine = tmp_path / "m.asl.json"
    machine.write_text((EXAMPLES / "machine.asl.json").read_text())
    broken = tmp_path / "mocks.json"
    broken.write_text('{"StateMachines": {"m": {"TestCases": {"T": {"S": 1}}}}}')

    result = runner.invoke(cli.app, ["run", str(machine), "--mock-config", str(broken)])

    assert result.exit_code == cli.EXIT_REJECTED
    assert "mocks.json" in result.output
