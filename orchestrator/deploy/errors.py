"""What ``sfn deploy`` refuses: a project it cannot read, or a deployment the service refused."""

from __future__ import annotations

from orchestrator.errors import SfnError


class DeployError(SfnError):
    """Base of the deploy errors; ``str(error)`` is the message shown to the user."""


class ConfigError(DeployError):
    """The deploy directory or its ``sfn-deploy.yaml`` is malformed (exit 1: nothing is deployed).

    ``file`` names the file at fault and ``location`` where in it (``/machines/orders/type``)."""

    def __init__(self, message: str, file: str | None = None, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.location = location

    def render(self) -> str:
        """``file: message at location``."""
        where = f" at {self.location}" if self.location else ""
        prefix = f"{self.file}: " if self.file else ""
        return f"{prefix}{self.message}{where}"


class UsageError(DeployError):
    """The command line is wrong (an unknown environment, two targets at once): exit 2."""
