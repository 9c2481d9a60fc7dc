"""Task workers: the registry of Python task functions and the code that runs Task resources.

``from workers import task`` is all a tasks module needs::

    from workers import task

    @task
    def greet(event, context):
        return {"greeting": f"Hello, {event['name']}!"}
"""

from workers.heartbeat import heartbeat
from workers.outcome import TaskOutcome, TaskRequest
from workers.registry import TaskRegistry, registry, task
from workers.resources import ResourceResolver

__all__ = ["ResourceResolver", "TaskOutcome", "TaskRegistry", "TaskRequest", "heartbeat", "registry", "task"]
