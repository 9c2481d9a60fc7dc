from datetime import UTC, datetime, timedelta

from orchestrator.service import shapes
from orchestrator.store.records import ExecutionRecord

START = datetime(2026, 1, 1, tzinfo=UTC)


def execution(**changes: object) -> ExecutionRecord:
    return ExecutionRecord(arn="a", state_machine_arn="m", name="n", input="{}", start_date=START, **changes)  # type: ignore[arg-type]


def test_given_datetimes_expect_epoch_seconds_with_milliseconds() -> None:
    assert shapes.epoch(START + timedelta(microseconds=123456)) == 1767225600.123
    assert shapes.epoch(None) is None


def test_given_a_running_execution_expect_no_output_members() -> None:
    described = shapes.execution_description(execution(), {})
    assert "output" not in described and "outputDetails" not in described and "stopDate" not in described


def test_given_a_failed_execution_expect_error_and_cause_without_output() -> None:
    failed = execution(status="FAILED", stop_date=START, error="E", cause="C", output="{}")
    described = shapes.execution_description(failed, {"stateMachineVersionArn": "m:1"})
    assert (described["error"], described["cause"], described["stateMachineVersionArn"]) == ("E", "C", "m:1")
    assert "output" not in described


def test_given_an_express_execution_expect_no_redrive_members() -> None:
    express = execution(status="SUCCEEDED", stop_date=START, state_machine_type="EXPRESS")
    assert "redriveCount" not in shapes.execution_description(express, {})
    assert "redriveCount" not in shapes.execution_list_item(express, {})


def test_given_a_sync_duration_expect_billing_rounded_up_to_100_ms() -> None:
    done = execution(status="SUCCEEDED", stop_date=START + timedelta(milliseconds=7510), output="1")
    billing = shapes.sync_execution_result(done)["billingDetails"]
    assert billing == {"billedDurationInMilliseconds": 7600, "billedMemoryUsedInMB": 64}
    instant = execution(status="SUCCEEDED", stop_date=START, output="1")
    assert shapes.sync_execution_result(instant)["billingDetails"]["billedDurationInMilliseconds"] == 100
