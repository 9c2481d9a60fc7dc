"""Logging for every ``sfn`` command: JSON lines for machines, readable text for people.

``configure_logging(level, fmt)`` installs one stderr handler on the root logger. ``fmt`` is ``json``,
``text`` or ``auto`` (the default, also read from ``SFN_LOG_FORMAT``): JSON lines unless stderr is a
terminal. A JSON line holds ``ts``, ``level``, ``logger``, ``message``, the execution context in force
(``execution_arn``, ``state``, ``event_id``, ``attempt``, ``task_id``, ``coordinator``, ``worker``) and
``exc`` for a traceback.

The context travels in a context variable: ``with log_context(execution_arn=arn, state="Charge"):``
around the work, and every record logged inside carries it (a field given as ``extra=`` wins). Secrets of
the HTTP Task's connections are masked in the message and the traceback (``workers.http_task``'s
``RedactSecrets``, when that module is loaded); task inputs and outputs are never logged here.

``install_celery_logging`` makes a Celery worker (and its prefork children) log through the same
handler instead of Celery's own format.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

FORMATS = ("auto", "json", "text")
FORMAT_VARIABLE = "SFN_LOG_FORMAT"
CONTEXT_FIELDS = ("execution_arn", "state", "event_id", "attempt", "task_id", "coordinator", "worker")
"""The execution context a record may carry, in the order text lines show it."""

_context: ContextVar[Mapping[str, Any]] = ContextVar("sfn_log_context", default={})  # noqa: B039
_HANDLER_NAME = "sfn"


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Attach ``fields`` (``None`` values are left out) to every record logged inside the block."""
    token = _context.set({**_context.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


def current_context() -> dict[str, Any]:
    """The fields :func:`log_context` has attached here."""
    return dict(_context.get())


def record_context(record: logging.LogRecord) -> dict[str, Any]:
    """A record's execution context: the context variable's fields, then any given as ``extra=``."""
    found = dict(_context.get())
    for name in CONTEXT_FIELDS:
        value = getattr(record, name, None)
        if value is not None:
            found[name] = value
    return {name: found[name] for name in CONTEXT_FIELDS if name in found}


def task_context(command: Any) -> dict[str, Any]:
    """The log context of a ``RunTask``: its state, task id and attempt (1 for the first, 2 for the
    first retry...), from the command's context object."""
    state = command.context.get("State") if isinstance(command.context, dict) else None
    retries = state.get("RetryCount") if isinstance(state, dict) else None
    attempt = retries + 1 if isinstance(retries, int) else None
    return {"state": command.state_name, "task_id": command.task_id, "attempt": attempt}


def task_outcome(event: Any) -> str:
    """A task's outcome event in a few words (the error name of a failure; never its output or cause)."""
    kind = type(event).__name__
    error = getattr(event, "error", None)
    return kind if error is None else f"{kind}: {error}"


def redact(text: str) -> str:
    """``text`` with the HTTP Task's connection secrets masked (unchanged when none are loaded)."""
    module = sys.modules.get("workers.http_task")
    redaction = getattr(module, "REDACTION", None)
    if redaction is None or not text:
        return text
    probe = logging.makeLogRecord({"msg": text})
    redaction.filter(probe)
    return probe.getMessage()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, the execution context, exc."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            **record_context(record),
        }
        if record.exc_info:
            line["exc"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            line["exc"] = redact(record.exc_text)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger: message  key=value ...`` for a person at a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        saved = record.msg, record.args, record.exc_text
        record.msg, record.args = redact(record.getMessage()), None
        context = record_context(record)
        if context:
            record.msg += "  " + " ".join(f"{key}={value}" for key, value in context.items())
        try:
            text = super().format(record)
        finally:
            record.msg, record.args, record.exc_text = saved
        return redact(text) if record.exc_info else text


def resolve_format(fmt: str | None = None, stream: TextIO | None = None) -> str:
    """``json`` or ``text``: ``fmt`` (else ``SFN_LOG_FORMAT``, else ``auto``); ``auto`` is text on a TTY."""
    chosen = (fmt or os.environ.get(FORMAT_VARIABLE) or "auto").lower()
    if chosen not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, got {chosen!r}")
    if chosen != "auto":
        return chosen
    target = stream if stream is not None else sys.stderr
    isatty = getattr(target, "isatty", None)
    return "text" if isatty is not None and isatty() else "json"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler on whatever ``sys.stderr`` is when it writes (never a stale, closed stream)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def make_handler(fmt: str, stream: TextIO | None = None) -> logging.Handler:
    """A handler writing to ``stream`` (default: the current stderr) in ``fmt`` (``json`` or ``text``)."""
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    return handler


def configure_logging(level: str | int = "info", fmt: str | None = None, stream: TextIO | None = None) -> str:
    """Log records of ``level`` and above to stderr in ``fmt`` (see :func:`resolve_format`); replaces the
    handler an earlier call installed. Returns the format chosen."""
    chosen = resolve_format(fmt, stream)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    root.addHandler(make_handler(chosen, stream))
    root.setLevel(level.upper() if isinstance(level, str) else level)
    if fmt is not None and fmt.lower() != "auto":
        os.environ[FORMAT_VARIABLE] = fmt.lower()  # processes this one starts (sfn cluster) log alike
    return chosen


def install_celery_logging(level: str | int = "info", fmt: str | None = None) -> None:
    """Have Celery's logging setup (in the worker and each prefork child) install our handler instead
    of its own: Celery leaves logging alone when a ``setup_logging`` receiver is connected."""
    from celery import signals

    def setup(**_: Any) -> None:
        configure_logging(level, fmt)
        for name in ("celery", "celery.task", "celery.redirected"):
            logging.getLogger(name).handlers.clear()
            logging.getLogger(name).propagate = True

    signals.setup_logging.connect(setup, weak=False, dispatch_uid="sfn-logging")
