"""Answer a waiting approval with boto3: ``SendTaskSuccess`` (approve) or ``SendTaskFailure`` (reject).

python approve.py --endpoint-url http://127.0.0.1:8083 --outbox /tmp/approvals --order 42 --approver ana
python approve.py --endpoint-url http://127.0.0.1:8083 --outbox /tmp/approvals --order 43 --reject "out of stock"
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from orchestrator.client import boto3_client


def wait_for_token(token_file: Path, timeout: float) -> str:
    """The token the task wrote, once it is there."""
    deadline = time.monotonic() + timeout
    while not token_file.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"no token at {token_file} after {timeout} s")
        time.sleep(0.1)
    return token_file.read_text()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--endpoint-url", default="http://127.0.0.1:8083")
    parser.add_argument("--outbox", type=Path, required=True)
    parser.add_argument("--order", required=True)
    parser.add_argument("--approver", default="someone")
    parser.add_argument("--reject", metavar="REASON", help="reject the order instead of approving it")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()

    sfn = boto3_client(args.endpoint_url)
    token = wait_for_token(args.outbox / f"{args.order}.token", args.timeout)
    if args.reject:
        sfn.send_task_failure(taskToken=token, error="Rejected", cause=args.reject)
        print(f"order {args.order} rejected")
    else:
        sfn.send_task_success(taskToken=token, output=json.dumps({"approver": args.approver}))
        print(f"order {args.order} approved by {args.approver}")


if __name__ == "__main__":
    main()
