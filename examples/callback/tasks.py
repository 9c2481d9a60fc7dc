"""The callback example's task: it hands the task token out and returns; the execution then waits.

On AWS this would be a Lambda function that emails a link or puts the token on a queue. Here it writes
``<outbox>/<order>.token`` so that ``approve.py`` (any other process) can answer with the token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workers import task


@task
def request_approval(event: dict[str, Any]) -> dict[str, Any]:
    """Write the token where the approver finds it. The return value is not the state's result: a
    ``.waitForTaskToken`` task's result is what ``SendTaskSuccess`` sends."""
    outbox = Path(event["outbox"])
    outbox.mkdir(parents=True, exist_ok=True)
    token_file = outbox / f"{event['order']}.token"
    token_file.write_text(event["token"])
    return {"tokenFile": str(token_file)}
