"""Task tokens (``$$.Task.Token``): what ``SendTaskSuccess``/``Failure``/``Heartbeat`` and activity workers
present to reach a task that waits for them.

A token names its execution and task and carries an HMAC of both under the execution's secret
(``ExecutionState.secret``, drawn at random when the execution starts and never written to history or
outputs), so a token cannot be guessed or forged, and whoever holds one can be routed to its execution
without an index. Whether the task still waits is the execution state's business: a token of a task that
ended is refused (used once).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

_SEPARATOR = "\n"


def new_secret() -> str:
    """A fresh execution secret (128 random bits, hex)."""
    return secrets.token_hex(16)


def task_token(secret: str, execution_arn: str, task_id: str) -> str:
    """The token of task ``task_id`` of ``execution_arn``."""
    subject = f"{execution_arn}{_SEPARATOR}{task_id}"
    name = base64.urlsafe_b64encode(subject.encode()).decode().rstrip("=")
    return f"{name}.{_mac(secret, subject)}"


def parse_task_token(token: object) -> tuple[str, str] | None:
    """(execution ARN, task id) a token names, or None when it is not one of ours."""
    if not isinstance(token, str) or token.count(".") != 1:
        return None
    name, _ = token.split(".")
    try:
        subject = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    arn, separator, task_id = subject.partition(_SEPARATOR)
    if not separator or not arn or not task_id:
        return None
    return arn, task_id


def is_genuine(token: str, secret: str) -> bool:
    """Whether ``token`` was made under ``secret`` (constant-time comparison)."""
    named = parse_task_token(token)
    if named is None or not secret:
        return False
    expected = task_token(secret, *named)
    return hmac.compare_digest(expected.encode(), token.encode())


def _mac(secret: str, subject: str) -> str:
    return hmac.new(secret.encode(), subject.encode(), hashlib.sha256).hexdigest()
