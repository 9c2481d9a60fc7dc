"""orchestrator/logs.py: JSON lines and text, the execution context, secrets masked, the CLI's choice."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from orchestrator import logs
from orchestrator.engine.model import RunTask, TaskFailed, TaskSucceeded
from workers import http_task
from workers.connections import ConnectionStore, parse_connection


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """A JSON handler on a fresh logger writing to a buffer."""
    stream = io.StringIO()
    logger = logging.getLogger("tests.logs")
    handler = logs.make_handler("json", stream)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield stream
    logger.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_line_has_the_fields_and_the_context(captured: io.StringIO) -> None:
    # given a context around the work
    with logs.log_context(
        execution_arn="arn:aws:states:us-east-1:1:execution:m:e", state="Charge", attempt=2
    ):
        # when a record is logged inside it, with one field given as extra
        logging.getLogger("tests.logs").info("task %s", "done", extra={"task_id": "task-7"})
    # expect one JSON object with the standard fields and the context
    (line,) = lines(captured)
    assert line["level"] == "INFO" and line["logger"] == "tests.logs" and line["message"] == "task done"
    assert line["execution_arn"].endswith(":e") and line["state"] == "Charge" and line["attempt"] == 2
    assert line["task_id"] == "task-7" and line["ts"].endswith("+00:00")


def test_context_ends_with_its_block(captured: io.StringIO) -> None:
    with logs.log_context(execution_arn="arn:x"), logs.log_context(state="Inner"):
        assert logs.current_context() == {"execution_arn": "arn:x", "state": "Inner"}
    logging.getLogger("tests.logs").warning("outside")
    assert "execution_arn" not in lines(captured)[0]
    assert logs.current_context() == {}


def test_exception_goes_in_exc(captured: io.StringIO) -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("tests.logs").exception("failed")
    (line,) = lines(captured)
    assert line["level"] == "ERROR" and "RuntimeError: boom" in line["exc"]


def test_connection_secrets_are_masked_in_message_and_traceback(captured: io.StringIO) -> None:
    # given a loaded connection with an API key the HTTP Task's redaction watches
    connection = parse_connection(
        "stripe",
        {
            "AuthorizationType": "API_KEY",
            "AuthParameters": {
                "ApiKeyAuthParameters": {"ApiKeyName": "Authorization", "ApiKeyValue": "sk-very-secret"}
            },
        },
    )
    store = ConnectionStore([connection])
    http_task.REDACTION.watch(store)
    # when the secret shows up in a message and in an exception
    try:
        raise ValueError("bad key sk-very-secret")
    except ValueError:
        logging.getLogger("tests.logs").exception("sent sk-very-secret")
    # expect it masked in both
    text = captured.getvalue()
    assert "sk-very-secret" not in text and "******" in text


def test_text_format_shows_the_context() -> None:
    stream = io.StringIO()
    record = logging.makeLogRecord({"name": "n", "levelname": "INFO", "msg": "hello %s", "args": ("you",)})
    handler = logs.make_handler("text", stream)
    with logs.log_context(execution_arn="arn:x", task_id="task-1"):
        handler.handle(record)
    assert stream.getvalue().rstrip().endswith("n: hello you  execution_arn=arn:x task_id=task-1")
    assert record.getMessage() == "hello you"  # the record itself is left as it was


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("given", "env", "stream", "expected"),
    [
        (None, None, io.StringIO(), "json"),
        (None, None, _Tty(), "text"),
        ("auto", None, _Tty(), "text"),
        (None, "json", _Tty(), "json"),
        ("text", "json", io.StringIO(), "text"),
    ],
)
def test_format_choice(
    monkeypatch: pytest.MonkeyPatch, given: str | None, env: str | None, stream: io.StringIO, expected: str
) -> None:
    if env is None:
        monkeypatch.delenv(logs.FORMAT_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(logs.FORMAT_VARIABLE, env)
    assert logs.resolve_format(given, stream) == expected


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="json"):
        logs.resolve_format("xml")


def test_configure_logging_replaces_its_own_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(logs.FORMAT_VARIABLE, raising=False)
    root = logging.getLogger()
    level = root.level
    try:
        logs.configure_logging("info", "json")
        logs.configure_logging("debug", "text")
        ours = [h for h in root.handlers if h.get_name() == "sfn"]
        assert len(ours) == 1 and isinstance(ours[0].formatter, logs.TextFormatter)
        assert root.level == logging.DEBUG
    finally:
        for handler in [h for h in root.handlers if h.get_name() == "sfn"]:
            root.removeHandler(handler)
        root.setLevel(level)
        monkeypatch.delenv(logs.FORMAT_VARIABLE, raising=False)


def test_task_context_and_outcome_never_carry_data() -> None:
    command = RunTask(
        task_id="task-3",
        resource="arn:aws:states:::lambda:invoke",
        parameters={"card": "4111"},
        context={"State": {"Name": "Charge", "RetryCount": 1}},
        state_name="Charge",
    )
    assert logs.task_context(command) == {"state": "Charge", "task_id": "task-3", "attempt": 2}
    assert logs.task_outcome(TaskSucceeded("task-3", {"card": "4111"})) == "TaskSucceeded"
    assert logs.task_outcome(TaskFailed("task-3", "Boom", "card 4111")) == "TaskFailed: Boom"
