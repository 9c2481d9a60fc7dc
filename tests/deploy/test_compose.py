"""docker-compose.yml stays true to the code: every service runs an ``sfn`` command the CLI accepts,
and Redis is configured so execution state cannot be evicted. (No Docker engine runs in tests.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from orchestrator.cli import app

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


SFN_SERVICES = ["server", "coordinator", "worker"]


@pytest.mark.parametrize("name", SFN_SERVICES)
def test_each_service_runs_a_command_the_cli_accepts(name: str) -> None:
    service = compose()["services"][name]
    command = typer.main.get_command(app)
    args = list(service["command"])
    subcommand = command.get_command(None, args[0])  # type: ignore[attr-defined]
    assert subcommand is not None, f"sfn has no command {args[0]!r}"
    subcommand.make_context(args[0], args[1:])  # raises on an unknown option or a bad value
    assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (ROOT / "deploy" / "Dockerfile").exists()


def test_redis_never_evicts_execution_state() -> None:
    redis_command = compose()["services"]["redis"]["command"]
    assert redis_command[redis_command.index("--maxmemory-policy") + 1] == "noeviction"


def test_the_task_module_the_services_name_exists() -> None:
    for name in SFN_SERVICES:
        args = compose()["services"][name]["command"]
        if "--tasks" in args:
            assert (ROOT / args[args.index("--tasks") + 1]).exists()
