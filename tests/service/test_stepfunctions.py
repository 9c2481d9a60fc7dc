import pytest

from orchestrator.errors import ApiError
from orchestrator.service import ACTIONS, StepFunctionsService


def test_given_every_action_expect_a_service_method() -> None:
    assert all(callable(getattr(StepFunctionsService, method)) for method in ACTIONS.values())


def test_given_an_action_name_expect_dispatch_to_its_method(service: StepFunctionsService) -> None:
    assert service.dispatch("ListStateMachines", {}) == {"stateMachines": []}


def test_given_an_unknown_action_expect_unknown_operation(service: StepFunctionsService) -> None:
    with pytest.raises(ApiError, match="UnknownOperationException"):
        service.dispatch("Explode", {})
