"""One handler per state type."""

from orchestrator.engine.states.base import StateHandler
from orchestrator.engine.states.choice import ChoiceHandler
from orchestrator.engine.states.map import MapHandler
from orchestrator.engine.states.parallel import ParallelHandler
from orchestrator.engine.states.simple import FailHandler, PassHandler, SucceedHandler
from orchestrator.engine.states.task import TaskHandler
from orchestrator.engine.states.wait import WaitHandler

HANDLERS: dict[str, StateHandler] = {
    "Pass": PassHandler(),
    "Task": TaskHandler(),
    "Choice": ChoiceHandler(),
    "Wait": WaitHandler(),
    "Succeed": SucceedHandler(),
    "Fail": FailHandler(),
    "Parallel": ParallelHandler(),
    "Map": MapHandler(),
}

__all__ = ["HANDLERS", "StateHandler"]
