"""The transport seam: how a coordinator's ``RunTask`` commands reach code that runs them, and how their
outcomes come back (as input events posted to the execution's inbox).

Two implementations: :mod:`.inline` (a thread pool in this process) and :mod:`.celery` (Celery workers).
"""

from orchestrator.transport.base import Transport, outcome_event, task_request

__all__ = ["Transport", "outcome_event", "task_request"]
