"""The recorded corpus (``../shared/conformance/cases``) as validator tests.

* every ``definition_error`` / ``validate_definition`` case whose answer is an ``InvalidDefinition`` or a
  validation result is replayed: same codes, same message (and, for validation, same locations);
* every ``execution`` case AWS ran (it has ``expected.status``) must validate clean, so the validator never
  rejects what AWS accepts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from orchestrator.asl.parse import parse_definition
from orchestrator.asl.validate import check_definition, validate_definition, validate_state_definition
from orchestrator.errors import DefinitionError
from tests.asl.conftest import dataflow_ready

CASES = Path(
    os.environ.get("SFN_CONFORMANCE_CASES", Path(__file__).parents[3] / "shared" / "conformance" / "cases")
)
INVALID_DEFINITION_PREFIX = (
    "An error occurred (InvalidDefinition) when calling the CreateStateMachine operation: "
)

pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason=f"conformance cases not found at {CASES}")


def load_cases(*kinds: str) -> list[dict[str, Any]]:
    if not CASES.is_dir():
        return []
    cases = []
    for path in sorted(CASES.glob("*.json")):
        case = json.loads(path.read_text())
        if isinstance(case, dict) and case.get("kind") in kinds:
            case["file"] = path.name
            cases.append(case)
    return cases


def invalid_definition_message(recorded: Any) -> str | None:
    """The ``InvalidDefinition`` message of a recorded CreateStateMachine answer, if that is what it was."""
    if isinstance(recorded, dict) and recorded.get("Error", {}).get("Code") == "InvalidDefinition":
        return str(recorded["Error"]["Message"])
    if isinstance(recorded, str) and recorded.startswith(INVALID_DEFINITION_PREFIX):
        return recorded.removeprefix(INVALID_DEFINITION_PREFIX)
    return None


REJECTED = [
    case
    for case in load_cases("definition_error")
    if case.get("definition") is not None and invalid_definition_message(case["expected"]["recorded"])
]
VALIDATED = [
    case for case in load_cases("validate_definition") if "diagnostics" in case["expected"]["recorded"]
]
EXECUTED = [case for case in load_cases("execution") if "status" in case.get("expected", {})]
TESTED_STATES = [
    case
    for case in load_cases("test_state", "test_state_error")
    if isinstance(case.get("definition"), dict) and "Type" in case["definition"]
]


def case_id(case: dict[str, Any]) -> str:
    return str(case["file"]).removesuffix(".json")


def case_type(case: dict[str, Any]) -> str:
    return str(
        (case.get("api_params") or {}).get("type")
        or case.get("env", {}).get("state_machine_type")
        or "STANDARD"
    )


def definition_text(case: dict[str, Any]) -> str:
    """The definition as the test sent it: ``json.dumps`` of the recorded definition, or ``null``'s raw text."""
    definition = case.get("definition")
    if definition is None:
        return str((case.get("api_params") or {}).get("definition", ""))
    return json.dumps(definition)


@pytest.mark.parametrize("case", REJECTED, ids=case_id)
def test_rejected_definitions_give_aws_invalid_definition_message(case: dict[str, Any]) -> None:
    if not dataflow_ready():
        pytest.skip("needs orchestrator.dataflow path and intrinsic parsers")

    with pytest.raises(DefinitionError) as raised:
        check_definition(definition_text(case), state_machine_type=case_type(case))

    assert raised.value.message == invalid_definition_message(case["expected"]["recorded"])


VALIDATION_INPUTS = {
    # The corpus stores no definition for the two non-JSON inputs; the LocalStack test sent these strings.
    "EMPTY_STRING": " ",
    "NOT_A_DEF": "not a definition",
}


def validation_text(case: dict[str, Any]) -> str:
    for parameter, text in VALIDATION_INPUTS.items():
        if case["id"].endswith(f"[{parameter}]"):
            return text
    return json.dumps(case["definition"])


@pytest.mark.parametrize("case", VALIDATED, ids=case_id)
def test_validation_results_match_the_recordings(case: dict[str, Any]) -> None:
    if not dataflow_ready():
        pytest.skip("needs orchestrator.dataflow path and intrinsic parsers")
    text = validation_text(case)

    try:
        definition, duplicates = parse_definition(text)
        found = validate_definition(definition, state_machine_type=case_type(case)) + duplicates
    except DefinitionError as error:
        found = error.diagnostics

    expected = [
        (d["severity"], d["code"], d["message"], d.get("location"))
        for d in case["expected"]["recorded"]["diagnostics"]
    ]
    assert [(d.severity, d.code, d.message, d.path) for d in found] == expected


@pytest.mark.parametrize("case", EXECUTED, ids=case_id)
def test_definitions_aws_ran_are_valid(case: dict[str, Any]) -> None:
    if not dataflow_ready():
        pytest.skip("needs orchestrator.dataflow path and intrinsic parsers")
    definitions = [case["definition"], *(case.get("other_state_machines") or {}).values()]

    for definition in definitions:
        assert validate_definition(definition, state_machine_type=case_type(case)) == []


@pytest.mark.parametrize("case", TESTED_STATES, ids=case_id)
def test_states_aws_tested_are_valid(case: dict[str, Any]) -> None:
    if not dataflow_ready():
        pytest.skip("needs orchestrator.dataflow path and intrinsic parsers")

    assert validate_state_definition(case["definition"]) == []


def test_the_corpus_was_found() -> None:
    assert len(REJECTED) >= 5
    assert len(VALIDATED) >= 6
    assert len(EXECUTED) >= 800
