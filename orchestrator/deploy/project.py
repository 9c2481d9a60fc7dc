"""A deploy directory read for one environment: the state machines it wants, each fully resolved.

Layout::

    DIR/
      sfn-deploy.yaml          optional: settings and parameters (see orchestrator.deploy.config)
      orders.asl.json          one state machine per file; its stem ("orders") is its key in the config
      refunds.asl.yaml         and, unless the config names it otherwise, the state machine's name

A JSON file is deployed as its text after substitution (as CloudFormation deploys a JSON
``DefinitionS3Location``); a YAML file is substituted, then parsed and sent as indented JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from orchestrator.deploy.config import DeployConfig, load_config
from orchestrator.deploy.errors import ConfigError, UsageError
from orchestrator.deploy.substitutions import substitute, unresolved

SUFFIXES = (".asl.json", ".asl.yaml", ".asl.yml")


def normal_logging(value: Any) -> dict[str, Any]:
    """A ``loggingConfiguration`` with AWS's defaults filled in, for comparing desired and deployed."""
    value = value if isinstance(value, dict) else {}
    out: dict[str, Any] = {
        "level": str(value.get("level") or "OFF").upper(),
        "includeExecutionData": bool(value.get("includeExecutionData", False)),
    }
    if value.get("destinations"):
        out["destinations"] = value["destinations"]
    return out


def normal_tracing(value: Any) -> dict[str, Any]:
    """A ``tracingConfiguration`` with AWS's default (disabled)."""
    return {"enabled": bool(value.get("enabled", False)) if isinstance(value, dict) else False}


@dataclass(frozen=True)
class DesiredMachine:
    """A state machine as the directory wants it in one environment."""

    file: str
    name: str
    definition: str
    type: str
    role_arn: str
    logging: dict[str, Any]
    tracing: dict[str, Any]
    tags: dict[str, str]
    unresolved: list[tuple[str, str]] = field(default_factory=list)
    """``(location, "${name}")`` placeholders no parameter filled (left as they are, as CloudFormation does)."""
    yaml_error: str | None = None
    """Why a YAML file does not parse after substitution (it is then not sent for validation)."""


def definition_files(directory: Path) -> dict[str, Path]:
    """``stem → file`` of every ``*.asl.json|yaml|yml`` directly in ``directory``, sorted by stem."""
    found: dict[str, Path] = {}
    for path in sorted(directory.iterdir()):
        suffix = next((s for s in SUFFIXES if path.name.endswith(s)), None)
        if suffix is None or not path.is_file():
            continue
        stem = path.name[: -len(suffix)]
        if stem in found:
            raise ConfigError(f"two definitions for {stem!r}: {found[stem].name} and {path.name}", path.name)
        found[stem] = path
    return found


def _substituted(value: Any, parameters: dict[str, Any]) -> Any:
    """Settings with their strings substituted (keys of mappings left alone)."""
    if isinstance(value, str):
        return substitute(value, parameters)
    if isinstance(value, dict):
        return {k: _substituted(v, parameters) for k, v in value.items()}
    if isinstance(value, list):
        return [_substituted(v, parameters) for v in value]
    return value


def _definition_text(path: Path, parameters: dict[str, Any]) -> tuple[str, str | None]:
    """The text to deploy, and why a YAML file does not parse (None when it does)."""
    text = substitute(path.read_text(), parameters)
    if path.name.endswith(".asl.json"):
        return text, None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return text, " ".join(str(error).split())
    return json.dumps(document, indent=2, ensure_ascii=False), None


def desired_machine(stem: str, path: Path, config: DeployConfig, env: str | None) -> DesiredMachine:
    """Machine ``stem`` (defined in ``path``) resolved for ``env``."""
    parameters = config.parameters(stem, env)
    try:
        settings = _substituted(config.settings(stem), parameters)
        definition, yaml_error = _definition_text(path, parameters)
    except ConfigError as error:
        raise ConfigError(error.message, error.file or path.name, error.location) from None
    for where, placeholder in unresolved(settings):
        hint = "" if env is not None else " (no --env given)"
        raise ConfigError(
            f"no parameter for {placeholder} in the settings of {stem!r}{hint}",
            config.file,
            f"/machines/{stem}{where}",
        )
    role_arn = settings.get("roleArn")
    if not isinstance(role_arn, str) or not role_arn:
        raise ConfigError(
            f"no roleArn for {stem!r}: set defaults.roleArn or machines.{stem}.roleArn",
            config.file,
            f"/machines/{stem}",
        )
    try:
        document = None if yaml_error else json.loads(definition)
    except ValueError:
        document = None  # ValidateStateMachineDefinition reports it, with its location
    return DesiredMachine(
        file=path.name,
        name=settings.get("name", stem),
        definition=definition,
        type=settings.get("type", "STANDARD"),
        role_arn=role_arn,
        logging=normal_logging(settings.get("logging")),
        tracing=normal_tracing(settings.get("tracing")),
        tags=dict(settings.get("tags", {})),
        unresolved=list(unresolved(document)) if document is not None else [],
        yaml_error=yaml_error,
    )


def load_project(directory: Path, env: str | None) -> list[DesiredMachine]:
    """Every machine of ``directory`` for ``env``; ``UsageError`` for an environment no one names,
    ``ConfigError`` for a malformed directory."""
    config = load_config(directory)
    if env is not None and env not in config.environment_names():
        known = ", ".join(sorted(config.environment_names())) or "none"
        raise UsageError(f"unknown environment {env!r} (environments in {config.file}: {known})")
    files = definition_files(directory)
    for stem in config.machines:
        if stem not in files:
            raise ConfigError(
                f"machine {stem!r} has no definition file {stem}.asl.json", config.file, f"/machines/{stem}"
            )
    if not files:
        raise ConfigError(f"no definitions (*.asl.json, *.asl.yaml) in {directory}")
    machines = [desired_machine(stem, path, config, env) for stem, path in files.items()]
    names: dict[str, str] = {}
    for machine in machines:
        if machine.name in names:
            raise ConfigError(f"{names[machine.name]} and {machine.file} both deploy {machine.name!r}")
        names[machine.name] = machine.file
    return machines
