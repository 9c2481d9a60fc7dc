import json
import time
from pathlib import Path

from orchestrator.service.embedded import embedded_service

TASKS = """
from workers import task


@task
def shout(event):
    return {"said": event["word"].upper()}
"""


def test_given_a_tasks_file_expect_its_functions_callable_as_lambda_arns(tmp_path: Path) -> None:
    module = tmp_path / "shout_tasks.py"
    module.write_text(TASKS)
    definition = {
        "StartAt": "T",
        "States": {
            "T": {
                "Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:shout",
                "End": True,
            }
        },
    }
    service = embedded_service(task_modules=[str(module)], time_skipping=True)
    try:
        arn = service.create_state_machine(
            {"name": "shout", "definition": json.dumps(definition), "roleArn": "arn:aws:iam::1:role/r"}
        )["stateMachineArn"]
        execution = service.start_execution({"stateMachineArn": arn, "input": '{"word": "hi"}'})[
            "executionArn"
        ]
        deadline = time.monotonic() + 10
        while (described := service.describe_execution({"executionArn": execution}))["status"] == "RUNNING":
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        service.close()
    assert (described["status"], json.loads(described["output"])) == ("SUCCEEDED", {"said": "HI"})
