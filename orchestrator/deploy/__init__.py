"""``sfn deploy``: state machines as code, created or updated from a directory kept in version control.

A directory of ``*.asl.json`` / ``*.asl.yaml`` definitions and an optional ``sfn-deploy.yaml``
(settings, per-environment parameters) is read for one environment (:mod:`.project`, :mod:`.config`),
its ``${name}`` placeholders filled as CloudFormation's ``DefinitionSubstitutions`` fills them
(:mod:`.substitutions`), every definition validated by the service (:mod:`.validation`), compared with
what is deployed (:mod:`.deployed`, :mod:`.plan`) and applied with a published version per change
(:mod:`.apply`, :mod:`.revision`). The service is anything with ``call(action, request)``
(:mod:`.target`): a :class:`StepFunctionsService` in this process or a boto3 client.
"""

from orchestrator.deploy.command import DeployResult, deploy, run_command
from orchestrator.deploy.errors import ConfigError, DeployError, UsageError
from orchestrator.deploy.plan import MachinePlan
from orchestrator.deploy.project import DesiredMachine, load_project
from orchestrator.deploy.substitutions import substitute
from orchestrator.deploy.target import Boto3Api, ServiceApi, StepFunctionsApi

__all__ = [
    "Boto3Api",
    "ConfigError",
    "DeployError",
    "DeployResult",
    "DesiredMachine",
    "MachinePlan",
    "ServiceApi",
    "StepFunctionsApi",
    "UsageError",
    "deploy",
    "load_project",
    "run_command",
    "substitute",
]
