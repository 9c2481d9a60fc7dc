"""sfn-orchestrator: run Amazon States Language workflows on your own machines."""

__version__ = "0.1.0"
