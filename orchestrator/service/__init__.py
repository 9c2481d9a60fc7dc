"""The Step Functions API as Python: :class:`StepFunctionsService` and its action table."""

from orchestrator.service.context import RequestContext
from orchestrator.service.stepfunctions import ACTIONS, StepFunctionsService

__all__ = ["ACTIONS", "RequestContext", "StepFunctionsService"]
