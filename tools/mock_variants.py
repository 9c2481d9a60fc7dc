"""Run the conformance corpus's mock variants: AWS Step Functions Local mock configurations that must
reproduce the recorded AWS result, with our mocking (``orchestrator.mocking``) in embedded mode.

The checker (``../shared/conformance/check.py``) does not run these: each variant carries its own
``mock_config`` and starts ``<state machine ARN>#<test case>``. This script runs every variant (no real
AWS service is called: the mocks stand in), normalises the result with the checker's own rules
(``normalise.py``) and compares with the recording what a mock can reproduce: status, error, cause
and the history's event types (in any order where branches run concurrently, as the checker allows).
Outputs are compared too but reported apart: the recording holds what the real SDK call added
(``SdkHttpMetadata``, ``ExecutedVersion``...), which no mocked response contains.

    python tools/mock_variants.py [--cases ../shared/conformance/cases] [--min-pass-rate 0.9] [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from orchestrator.mocking import parse_mock_config
from orchestrator.service.embedded import embedded_service

RESULT_KEYS = ("status", "output", "error", "cause")
JUDGED_KEYS = ("status", "error", "cause")


def variants(cases: Path) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted(cases.glob("*.json")):
        case = json.loads(path.read_text())
        if isinstance(case.get("mock_variant"), dict) and case.get("kind") == "execution":
            found.append((path, case))
    return found


def run_variant(case: dict[str, Any], normaliser: Any) -> tuple[list[str], list[str]]:
    """Our run of the case's mock variant against the recording: the differences that fail it, and
    output differences (reported only)."""
    variant = case["mock_variant"]
    env = {**case["env"], **variant.get("env", {})}
    service = embedded_service(
        mock_config=parse_mock_config(variant["mock_config"]),
        time_skipping=True,
        region=env.get("region", "us-east-1"),
        account_id=env.get("account_id", "111111111111"),
    )
    try:
        machine = service.dispatch(
            "CreateStateMachine",
            {
                "name": env["state_machine_name"],
                "definition": json.dumps(variant["definition"]),
                "roleArn": env["role_arn"],
                "type": env.get("state_machine_type", "STANDARD"),
            },
        )["stateMachineArn"]
        target = f"{machine}#{variant['mock_test_case']}"
        request: dict[str, Any] = {"stateMachineArn": target, "name": env["execution_name"].split(":")[-1]}
        if "input" in variant:
            request["input"] = json.dumps(variant["input"])
        if env.get("state_machine_type") == "EXPRESS":
            answer = service.dispatch("StartSyncExecution", request)
            raw = {key: answer.get(key) for key in RESULT_KEYS}
            events: list[dict[str, Any]] | None = None
        else:
            arn = service.dispatch("StartExecution", request)["executionArn"]
            service.runtime.wait(arn, timeout=60)
            raw = {
                key: value
                for key, value in service.dispatch("DescribeExecution", {"executionArn": arn}).items()
                if key in RESULT_KEYS
            }
            events = service.dispatch("GetExecutionHistory", {"executionArn": arn})["events"]
    finally:
        service.close()
    rules = variant.get("normalise") or case.get("normalise") or []
    got = normaliser.canonical(normaliser.normalise_result(raw, rules))
    expected = normaliser.canonical({k: case["expected"][k] for k in RESULT_KEYS if k in case["expected"]})

    def differ(keys: tuple[str, ...]) -> list[str]:
        return [
            f"{key}: expected {json.dumps(expected.get(key))[:160]}, got {json.dumps(got.get(key))[:160]}"
            for key in keys
            if key in expected and expected.get(key) != got.get(key)
        ]

    diffs = differ(JUDGED_KEYS)
    want = case.get("expected_event_types")
    if events is not None and want:
        types = [event["type"] for event in events]
        concurrent = any(s in json.dumps(variant["definition"]) for s in ('"Parallel"', '"Map"'))
        same = types == want or (
            concurrent
            and Counter(types) == Counter(want)
            and types[:1] == want[:1]
            and types[-1:] == want[-1:]
        )
        if not same:
            diffs.append(f"event types: expected {want}, got {types}")
    return diffs, differ(("output",))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=Path("../shared/conformance/cases"))
    parser.add_argument("--min-pass-rate", type=float, default=0.0)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(args.cases.parent))
    import normalise  # the checker's rules

    found = variants(args.cases)
    passed = outputs_equal = 0
    for path, case in found:
        try:
            diffs, output_diffs = run_variant(case, normalise)
        except Exception as error:  # a variant that cannot run counts as failed, with why
            diffs, output_diffs = [f"{type(error).__name__}: {error}"], []
        passed += not diffs
        outputs_equal += not diffs and not output_diffs
        if diffs or args.verbose:
            print(f"{'pass' if not diffs else 'FAIL'}  {path.name}")
            for diff in diffs:
                print(f"      {diff}")
            for diff in output_diffs if args.verbose else ():
                print(f"      (output) {diff}")
    rate = passed / len(found) if found else 1.0
    print(
        f"mock variants: {passed}/{len(found)} passed ({rate:.1%}): status, error, cause and event types; "
        f"{outputs_equal} with the recorded output too"
    )
    return 0 if rate >= args.min_pass_rate else 1


if __name__ == "__main__":
    sys.exit(main())
