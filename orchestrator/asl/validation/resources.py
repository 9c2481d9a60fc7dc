"""Task ``Resource`` ARNs, and what an EXPRESS state machine may not run (callbacks, ``.sync``, activities)."""

from __future__ import annotations

from typing import Any

from orchestrator.asl.resources import parse_resource
from orchestrator.asl.validation.report import Report


def check_resource(report: Report, resource: Any, path: str, *, express: bool) -> None:
    """A ``Resource`` must be an ARN; on EXPRESS machines it may not wait for a token, a ``.sync`` job or an
    activity. AWS's EXPRESS message ends with a space: ``Express state machine does not support
    '.waitForTaskToken' service integration ``."""
    if not report.expect(resource, path, "STRING"):
        return
    parts = resource.split(":")
    if len(parts) < 6 or parts[0] != "arn" or not parts[2]:
        report.error(
            path,
            f"The resource provided {resource} is not recognized. The value is not a valid resource ARN, or the "
            "resource is not available in this region.",
        )
        return
    if not express:
        return
    parsed = parse_resource(resource)
    if parsed.kind == "activity":
        report.error(path, "Express state machine does not support Activity ARN")
    elif parsed.pattern == "waitForTaskToken":
        report.error(path, "Express state machine does not support '.waitForTaskToken' service integration ")
    elif parsed.pattern in ("sync", "sync:2"):
        report.error(path, "Express state machine does not support '.sync' service integration ")
