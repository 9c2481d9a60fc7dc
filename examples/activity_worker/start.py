"""Create the example's activity and state machine, start executions, print their ARNs (JSON).

python start.py --endpoint-url http://127.0.0.1:8083 documents.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from worker import client

ROLE = "arn:aws:iam::123456789012:role/any"
HERE = Path(__file__).parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--endpoint-url", default="http://127.0.0.1:8083")
    parser.add_argument("documents", type=Path, help="a JSON list of {title, paragraphs} documents")
    args = parser.parse_args()

    sfn = client(args.endpoint_url)
    activity = sfn.create_activity(name="count-words")["activityArn"]  # idempotent by name
    definition = (HERE / "machine.asl.json").read_text().replace("${ActivityArn}", activity)
    machine = sfn.create_state_machine(name="count-words", definition=definition, roleArn=ROLE)
    executions = [
        sfn.start_execution(stateMachineArn=machine["stateMachineArn"], input=json.dumps(document))[
            "executionArn"
        ]
        for document in json.loads(args.documents.read_text())
    ]
    print(json.dumps({"activityArn": activity, "executions": executions}))


if __name__ == "__main__":
    main()
