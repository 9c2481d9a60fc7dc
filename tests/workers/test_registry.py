"""The task registry: @task, names, and loading task modules by file path or module name."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from workers import registry as default_registry
from workers import task
from workers.registry import TaskRegistry


def test_task_decorator_registers_under_the_function_name_or_an_explicit_name() -> None:
    # given
    @task
    def sfn_test_plain(event: object) -> object:
        return event

    @task(name="sfn-test-renamed")
    def whatever(event: object) -> object:
        return event

    # expect
    assert default_registry.get("sfn_test_plain") is sfn_test_plain
    assert default_registry.get("sfn-test-renamed") is whatever
    assert {"sfn_test_plain", "sfn-test-renamed"} <= set(default_registry.names())


def test_register_get_names_and_replacement(registry: TaskRegistry) -> None:
    # given
    registry.register("b", len)
    registry.register("a", str)

    # when
    registry.register("a", repr)

    # expect
    assert registry.names() == ["a", "b"]
    assert registry.get("a") is repr
    assert registry.get("missing") is None
    assert "b" in registry


@pytest.mark.parametrize("name", ["", "has:colon", "has/slash"])
def test_names_must_be_lambda_style(registry: TaskRegistry, name: str) -> None:
    with pytest.raises(ValueError, match="invalid task name"):
        registry.register(name, len)


def test_load_a_file_registers_its_tasks(registry: TaskRegistry, tmp_path: Path) -> None:
    # given a tasks file that imports a helper module next to it
    (tmp_path / "helpers_for_sfn_test.py").write_text("def shout(s):\n    return s.upper()\n")
    tasks_file = tmp_path / "tasks.py"
    tasks_file.write_text(
        textwrap.dedent(
            """
            from helpers_for_sfn_test import shout
            from workers import task

            @task
            def loud(event):
                return shout(event["text"])

            @task(name="quiet")
            def _quiet(event, context):
                return event["text"].lower()

            def not_a_task(event):
                return event
            """
        )
    )

    # when
    registry.load(str(tasks_file))

    # expect
    assert registry.names() == ["loud", "quiet"]
    loud = registry.get("loud")
    assert loud is not None and loud({"text": "hi"}) == "HI"


def test_load_a_module_by_name_into_two_registries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # given an importable module
    (tmp_path / "sfn_test_tasks_module.py").write_text(
        "from workers import task\n\n@task\ndef double(event):\n    return event * 2\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    first, second = TaskRegistry(), TaskRegistry()

    # when the module is loaded twice (the second import is cached)
    first.load("sfn_test_tasks_module")
    second.load("sfn_test_tasks_module")

    # expect both registries to have its task
    assert first.names() == second.names() == ["double"]
    sys.modules.pop("sfn_test_tasks_module", None)


def test_load_a_missing_file_fails_clearly(registry: TaskRegistry, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="task module not found"):
        registry.load(str(tmp_path / "nope.py"))
