"""Validate every definition with the service's ValidateStateMachineDefinition before touching anything."""

from __future__ import annotations

from dataclasses import dataclass

from orchestrator.deploy.project import DesiredMachine
from orchestrator.deploy.target import StepFunctionsApi
from orchestrator.errors import ApiError

UNRESOLVED = "UNRESOLVED_SUBSTITUTION"
INVALID_YAML = "INVALID_YAML"


@dataclass(frozen=True)
class Finding:
    """One diagnostic of one file: AWS's ``severity``, ``code``, ``message`` and JSON ``location``."""

    file: str
    severity: str
    code: str
    message: str
    location: str | None = None

    def render(self) -> str:
        """``file: ERROR CODE: message at /States/A/Next``."""
        where = f" at {self.location}" if self.location else ""
        return f"{self.file}: {self.severity} {self.code}: {self.message}{where}"


def validate_machine(api: StepFunctionsApi, machine: DesiredMachine) -> list[Finding]:
    """The service's diagnostics of one definition (warnings too), and its unfilled placeholders."""
    if machine.yaml_error is not None:
        return [
            Finding(
                machine.file,
                "ERROR",
                INVALID_YAML,
                f"not valid YAML after substitution: {machine.yaml_error}",
            )
        ]
    request = {"definition": machine.definition, "type": machine.type, "severity": "WARNING"}
    try:
        answer = api.call("ValidateStateMachineDefinition", request)
    except ApiError as error:
        if error.status == 0 or error.status >= 500:  # unreachable or failing: not the definition's fault
            raise
        return [Finding(machine.file, "ERROR", error.code, error.message)]
    found = [
        Finding(
            machine.file,
            str(item.get("severity", "ERROR")),
            str(item.get("code", "")),
            str(item.get("message", "")),
            item.get("location"),
        )
        for item in answer.get("diagnostics", [])
    ]
    if answer.get("result") == "FAIL" and not any(f.severity == "ERROR" for f in found):
        found.append(
            Finding(machine.file, "ERROR", "VALIDATION_FAILED", "the service rejected the definition")
        )
    found += [
        Finding(
            machine.file, "WARNING", UNRESOLVED, f"no substitution for {placeholder}; left as it is", where
        )
        for where, placeholder in machine.unresolved
    ]
    return found


def validate_all(api: StepFunctionsApi, machines: list[DesiredMachine]) -> list[Finding]:
    """Every finding of every machine, in the directory's order."""
    return [finding for machine in machines for finding in validate_machine(api, machine)]


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "ERROR" for f in findings)
