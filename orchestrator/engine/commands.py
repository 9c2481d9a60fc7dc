"""The commands a step of the interpreter hands its driver: timers, tasks and ids.

:class:`CommandsMixin` is part of :class:`orchestrator.engine.run.Run`: it keeps the execution state's
bookkeeping (which timer and task belong to which thread) in step with the commands it emits.
"""

from __future__ import annotations

from orchestrator.engine.model import CancelTask, CancelTimer, Command, ExecutionState, StartTimer, Thread


class CommandsMixin:
    state: ExecutionState
    commands: list[Command]
    now: float

    def new_id(self, kind: str) -> str:
        self.state.next_token += 1
        return f"{kind}-{self.state.next_token}"

    def start_timer(self, thread: Thread, purpose: str, due: float, *, own: bool = True) -> str:
        timer_id = self.new_id("timer")
        self.state.timers[timer_id] = (thread.id, purpose)
        if own:
            thread.timer_id = timer_id
        self.commands.append(StartTimer(timer_id, due))
        return timer_id

    def cancel_timer(self, thread: Thread) -> None:
        """Cancel the thread's own timer (and a task's heartbeat timer)."""
        if thread.timer_id is not None:
            self.state.timers.pop(thread.timer_id, None)
            self.commands.append(CancelTimer(thread.timer_id))
            thread.timer_id = None
        if thread.heartbeat_timer_id is not None:
            self.state.timers.pop(thread.heartbeat_timer_id, None)
            self.commands.append(CancelTimer(thread.heartbeat_timer_id))
            thread.heartbeat_timer_id = None

    def restart_heartbeat(self, thread: Thread) -> None:
        """(Re)start a running task's ``HeartbeatSeconds`` timer."""
        if thread.heartbeat_timer_id is not None:
            self.state.timers.pop(thread.heartbeat_timer_id, None)
            self.commands.append(CancelTimer(thread.heartbeat_timer_id))
        if thread.heartbeat_seconds is not None:
            timer_id = self.start_timer(thread, "heartbeat", self.now + thread.heartbeat_seconds, own=False)
            thread.heartbeat_timer_id = timer_id

    def cancel_pending(self, thread: Thread) -> None:
        self.cancel_timer(thread)
        if thread.task_id is not None:
            self.state.tasks.pop(thread.task_id, None)
            self.commands.append(CancelTask(thread.task_id))
            thread.task_id = None
