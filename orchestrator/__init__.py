"""sfn-orchestrator: run Amazon States Language workflows on your own machines."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orchestrator.client import Client, ExecutionNotSucceeded

__all__ = ["Client", "ExecutionNotSucceeded"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``orchestrator.Client`` without importing the client's dependencies on ``import orchestrator``."""
    if name in ("Client", "ExecutionNotSucceeded"):
        from orchestrator import client

        return getattr(client, name)
    raise AttributeError(name)
