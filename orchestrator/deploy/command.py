"""``sfn deploy DIR``: validate every definition, plan, then create or update (or only print the plan).

:func:`deploy` is the whole flow against any :class:`StepFunctionsApi`; :func:`run_command` is what the
CLI calls: it opens the target, maps outcomes to exit codes and closes the target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from orchestrator.deploy.apply import Applied, apply_plan
from orchestrator.deploy.deployed import deployed_machines
from orchestrator.deploy.errors import ConfigError, UsageError
from orchestrator.deploy.plan import MachinePlan, make_plan
from orchestrator.deploy.project import load_project
from orchestrator.deploy.report import Reporter
from orchestrator.deploy.revision import git_state, version_description
from orchestrator.deploy.target import StepFunctionsApi, boto3_api, redis_api
from orchestrator.deploy.validation import Finding, has_errors, validate_all
from orchestrator.errors import ApiError

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_SERVICE = 0, 1, 2, 3


@dataclass
class DeployResult:
    """What a deployment found, planned and did. ``ok`` is False when validation or the plan refused it."""

    findings: list[Finding] = field(default_factory=list)
    plans: list[MachinePlan] = field(default_factory=list)
    applied: list[Applied] = field(default_factory=list)
    ok: bool = True


def deploy(
    directory: Path,
    api: StepFunctionsApi,
    *,
    env: str | None = None,
    dry_run: bool = False,
    reporter: Reporter | None = None,
) -> DeployResult:
    """Deploy the machines of ``directory`` for ``env``. Nothing is changed unless every definition is
    valid and every plan possible; ``dry_run`` stops after printing the plan and diffs.

    Raises :class:`ConfigError` (malformed directory), :class:`UsageError` (unknown environment) and
    :class:`ApiError` (the service failed; machines before the failing one stay deployed)."""
    reporter = reporter or Reporter()
    machines = load_project(directory, env)
    result = DeployResult(findings=validate_all(api, machines))
    reporter.findings(result.findings)
    if has_errors(result.findings):
        reporter.failure("invalid definitions: nothing deployed")
        result.ok = False
        return result
    deployed = deployed_machines(api, [m.name for m in machines])
    result.plans = make_plan(machines, deployed)
    reporter.plan(result.plans, diffs=dry_run)
    problems = [p.problem for p in result.plans if p.problem is not None]
    if problems:
        for problem in problems:
            reporter.failure(problem)
        reporter.failure("nothing deployed")
        result.ok = False
        return result
    if dry_run:
        reporter.plain("dry run: nothing changed")
        return result
    git = git_state(directory)
    result.applied = apply_plan(
        api, result.plans, lambda machine: version_description(machine, git), reporter.applied
    )
    return result


def open_api(endpoint_url: str | None, redis_url: str | None, region: str | None) -> StepFunctionsApi:
    """The target named on the command line: Redis store, an endpoint, or AWS itself (neither)."""
    if endpoint_url is not None and redis_url is not None:
        raise UsageError("give --endpoint-url or --redis, not both")
    if redis_url is not None:
        return redis_api(redis_url)
    return boto3_api(endpoint_url, region)


def run_command(
    directory: Path,
    *,
    env: str | None = None,
    dry_run: bool = False,
    endpoint_url: str | None = None,
    redis_url: str | None = None,
    region: str | None = None,
    reporter: Reporter | None = None,
) -> int:
    """``sfn deploy``: 0 deployed (or planned), 1 invalid, 2 usage, 3 the service failed."""
    reporter = reporter or Reporter()
    if not directory.is_dir():
        reporter.failure(f"{directory}: not a directory")
        return EXIT_USAGE
    try:
        api = open_api(endpoint_url, redis_url, region)
    except UsageError as error:
        reporter.failure(str(error))
        return EXIT_USAGE
    try:
        result = deploy(directory, api, env=env, dry_run=dry_run, reporter=reporter)
    except UsageError as error:
        reporter.failure(str(error))
        return EXIT_USAGE
    except ConfigError as error:
        reporter.failure(error.render())
        return EXIT_INVALID
    except ApiError as error:
        reporter.failure(f"{error.code}: {error.message}")
        return EXIT_SERVICE
    finally:
        close = getattr(api, "close", None)
        if callable(close):
            close()
    return EXIT_OK if result.ok else EXIT_INVALID
