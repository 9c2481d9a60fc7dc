import json

import pytest

from orchestrator.errors import ApiError
from orchestrator.service import definitions

NESTED = {
    "StartAt": "P",
    "States": {
        "P": {
            "Type": "Parallel",
            "Next": "M",
            "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "r:a", "End": True}}}],
        },
        "M": {
            "Type": "Map",
            "End": True,
            "ItemProcessor": {
                "StartAt": "B",
                "States": {"B": {"Type": "Task", "Resource": "r:b", "End": True}},
            },
        },
    },
}


def test_given_nested_tasks_expect_every_resource_with_its_location() -> None:
    assert list(definitions.task_resources(NESTED)) == [
        ("/States/P/Branches[0]/States/A/Resource", "r:a"),
        ("/States/M/ItemProcessor/States/B/Resource", "r:b"),
    ]


def test_given_refused_resources_expect_one_aws_message_for_all() -> None:
    message = definitions.resource_problems(NESTED, lambda r: f"no {r}" if r == "r:b" else None)
    assert message == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: no r:b at /States/M/ItemProcessor/States/B/Resource'"
    )
    assert definitions.resource_problems(NESTED, lambda r: None) is None


def test_given_a_definition_without_states_expect_the_recorded_invalid_definition() -> None:
    with pytest.raises(ApiError) as caught:
        definitions.check(json.dumps({"Comment": "BASE_INVALID_DER", "StartAt": "State_1"}), "STANDARD")
    assert (caught.value.code, caught.value.message) == (
        "InvalidDefinition",
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'",
    )


def test_given_text_that_is_not_json_expect_a_json_diagnostic() -> None:
    (diagnostic,) = definitions.diagnose("not a definition", "STANDARD")
    assert diagnostic.code == "INVALID_JSON_DESCRIPTION"
