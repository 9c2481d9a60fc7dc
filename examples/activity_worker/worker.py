"""An activity worker in plain Python and boto3: poll ``GetActivityTask``, do the work, answer.

    python worker.py --endpoint-url http://127.0.0.1:8083 --activity-arn ARN [--max-tasks N]

For each task: ``SendTaskHeartbeat`` while working (the state's ``HeartbeatSeconds`` asks for one at
least that often), then ``SendTaskSuccess`` with the result, or ``SendTaskFailure`` with the exception's
class name as the error. ``GetActivityTask`` long-polls (up to 60 s); an empty ``taskToken`` means no
task came, so poll again. Any number of workers may poll the same activity.
"""

from __future__ import annotations

import argparse
import functools
import json
import socket
from typing import Any

import boto3
from botocore.config import Config


def count_words(document: dict[str, Any], heartbeat: Any) -> dict[str, Any]:
    """The work: count the words of each paragraph, heart-beating between paragraphs."""
    counts = []
    for paragraph in document["paragraphs"]:
        counts.append(len(paragraph.split()))
        heartbeat()
    if not counts:
        raise ValueError("the document has no paragraphs")
    return {"title": document["title"], "words": sum(counts), "paragraphs": counts}


def client(endpoint_url: str) -> Any:
    """boto3 for the endpoint; the read timeout outlasts GetActivityTask's 60 s long poll."""
    return boto3.client(
        "stepfunctions",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="any",
        aws_secret_access_key="any",
        config=Config(read_timeout=70, retries={"max_attempts": 2}),
    )


def work(sfn: Any, activity_arn: str, worker_name: str, max_tasks: int | None) -> int:
    """Poll and answer until ``max_tasks`` tasks are done (forever with None); the number done."""
    done = 0
    while max_tasks is None or done < max_tasks:
        task = sfn.get_activity_task(activityArn=activity_arn, workerName=worker_name)
        token = task.get("taskToken")
        if not token:
            continue  # the long poll ended without a task
        try:
            heartbeat = functools.partial(sfn.send_task_heartbeat, taskToken=token)
            result = count_words(json.loads(task["input"]), heartbeat)
        except Exception as failure:
            sfn.send_task_failure(taskToken=token, error=type(failure).__name__, cause=str(failure))
        else:
            sfn.send_task_success(taskToken=token, output=json.dumps(result))
        done += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--endpoint-url", default="http://127.0.0.1:8083")
    parser.add_argument("--activity-arn", required=True)
    parser.add_argument("--worker-name", default=f"word-counter@{socket.gethostname()}")
    parser.add_argument("--max-tasks", type=int, help="stop after this many tasks (default: run forever)")
    args = parser.parse_args()
    done = work(client(args.endpoint_url), args.activity_arn, args.worker_name, args.max_tasks)
    print(f"{done} task(s) done")


if __name__ == "__main__":
    main()
