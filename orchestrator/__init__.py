"""sfn-orchestrator: run Amazon States Language workflows on your own machines."""

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``orchestrator.Client`` without importing the client's dependencies on ``import orchestrator``."""
    if name in ("Client", "ExecutionNotSucceeded"):
        from orchestrator import client

        return getattr(client, name)
    raise AttributeError(name)
