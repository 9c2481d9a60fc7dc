"""``sfn-deploy.yaml``: the settings of the machines in a deploy directory, and their parameters.

::

    defaults:                 # every machine starts from these
      type: STANDARD          # STANDARD or EXPRESS
      roleArn: arn:aws:iam::${AccountId}:role/orders-${Stage}
      logging: {level: "OFF"} # loggingConfiguration, as the API spells it
      tracing: {enabled: false}
      tags: {team: payments}
    substitutions: {Retries: 3}          # parameters of every environment
    environments:                        # parameters of one environment (--env NAME)
      dev: {Stage: dev, AccountId: "111111111111"}
      prod: {Stage: prod, AccountId: "222222222222"}
    machines:
      orders:                            # the file orders.asl.json (or .asl.yaml)
        name: orders-${Stage}            # the state machine's name (default: the file's stem)
        type: EXPRESS
        tags: {tier: critical}           # merged over the default tags
        substitutions: {Queue: orders}
        environments: {prod: {Queue: orders-prod}}

Parameters apply in this order, later wins: ``substitutions``, ``environments.<env>``, the machine's
``substitutions``, the machine's ``environments.<env>``. They fill ``${name}`` placeholders in the
definition (see :mod:`orchestrator.deploy.substitutions`) and in the settings' strings (name, role ARN,
log group ARNs, tag values), where a placeholder no parameter fills is an error (unlike in definitions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from orchestrator.deploy.errors import ConfigError

CONFIG_FILE = "sfn-deploy.yaml"
SETTINGS = ("type", "roleArn", "logging", "tracing", "tags")
TOP_LEVEL = ("defaults", "substitutions", "environments", "machines")
MACHINE_KEYS = ("name", *SETTINGS, "substitutions", "environments")
TYPES = ("STANDARD", "EXPRESS")


@dataclass(frozen=True)
class MachineConfig:
    """One machine's entry (``{}`` when the config does not name it): settings and parameters."""

    settings: dict[str, Any] = field(default_factory=dict)
    substitutions: dict[str, Any] = field(default_factory=dict)
    environments: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class DeployConfig:
    """The whole ``sfn-deploy.yaml`` (every member empty when there is none)."""

    file: str = CONFIG_FILE
    defaults: dict[str, Any] = field(default_factory=dict)
    substitutions: dict[str, Any] = field(default_factory=dict)
    environments: dict[str, dict[str, Any]] = field(default_factory=dict)
    machines: dict[str, MachineConfig] = field(default_factory=dict)

    def environment_names(self) -> set[str]:
        """Every environment named at the top or by a machine."""
        names = set(self.environments)
        for machine in self.machines.values():
            names |= set(machine.environments)
        return names

    def parameters(self, stem: str, env: str | None) -> dict[str, Any]:
        """The substitutions of machine ``stem`` in environment ``env``, in precedence order."""
        machine = self.machines.get(stem, MachineConfig())
        out = dict(self.substitutions)
        if env is not None:
            out.update(self.environments.get(env, {}))
        out.update(machine.substitutions)
        if env is not None:
            out.update(machine.environments.get(env, {}))
        return out

    def settings(self, stem: str) -> dict[str, Any]:
        """The defaults with machine ``stem``'s settings over them (tags merged key by key)."""
        machine = self.machines.get(stem, MachineConfig())
        out = {**self.defaults, **machine.settings}
        if "tags" in self.defaults and "tags" in machine.settings:
            out["tags"] = {**self.defaults["tags"], **machine.settings["tags"]}
        return out


class _Reader:
    """Checks the shape of the parsed YAML, naming the location of the first problem."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, message: str, location: str) -> ConfigError:
        return ConfigError(message, self.file, location)

    def mapping(self, value: Any, location: str, allowed: tuple[str, ...] | None = None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail("expected a mapping", location)
        for key in value:
            if not isinstance(key, str):
                raise self.fail(f"keys must be strings, not {key!r}", location)
            if allowed is not None and key not in allowed:
                raise self.fail(f"unknown key {key!r} (expected one of: {', '.join(allowed)})", location)
        return value

    def parameters(self, value: Any, location: str) -> dict[str, Any]:
        params = self.mapping(value, location)
        for key, item in params.items():
            if isinstance(item, bool | int | str):
                continue
            raise self.fail("a substitution must be a string, an integer or a boolean", f"{location}/{key}")
        return params

    def environments(self, value: Any, location: str) -> dict[str, dict[str, Any]]:
        envs = self.mapping(value, location)
        return {name: self.parameters(params, f"{location}/{name}") for name, params in envs.items()}

    def settings(self, value: dict[str, Any], location: str) -> dict[str, Any]:
        out = {k: value[k] for k in SETTINGS if k in value}
        if "type" in out and (not isinstance(out["type"], str) or out["type"].upper() not in TYPES):
            raise self.fail("type must be STANDARD or EXPRESS", f"{location}/type")
        if "type" in out:
            out["type"] = out["type"].upper()
        if "roleArn" in out and not isinstance(out["roleArn"], str):
            raise self.fail("roleArn must be a string", f"{location}/roleArn")
        if "logging" in out:
            self.mapping(out["logging"], f"{location}/logging")
        if isinstance(out.get("tracing"), bool):
            out["tracing"] = {"enabled": out["tracing"]}
        if "tracing" in out:
            self.mapping(out["tracing"], f"{location}/tracing", ("enabled",))
        if "tags" in out:
            tags = self.mapping(out["tags"], f"{location}/tags")
            if any(not isinstance(v, str | int | bool) for v in tags.values()):
                raise self.fail("tag values must be strings", f"{location}/tags")
            out["tags"] = {k: v if isinstance(v, str) else str(v).lower() for k, v in tags.items()}
        return out

    def machine(self, value: Any, location: str) -> MachineConfig:
        entry = self.mapping(value, location, MACHINE_KEYS)
        settings = self.settings(entry, location)
        if "name" in entry:
            if not isinstance(entry["name"], str) or not entry["name"]:
                raise self.fail("name must be a non-empty string", f"{location}/name")
            settings["name"] = entry["name"]
        return MachineConfig(
            settings=settings,
            substitutions=self.parameters(entry.get("substitutions"), f"{location}/substitutions"),
            environments=self.environments(entry.get("environments"), f"{location}/environments"),
        )


def load_config(directory: Path) -> DeployConfig:
    """``DIR/sfn-deploy.yaml`` read and checked; an empty config when the file is absent."""
    path = directory / CONFIG_FILE
    if not path.exists():
        return DeployConfig()
    try:
        loaded = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise ConfigError(f"not valid YAML: {error}", CONFIG_FILE) from None
    reader = _Reader(CONFIG_FILE)
    top = reader.mapping(loaded, "/", TOP_LEVEL)
    machines = reader.mapping(top.get("machines"), "/machines")
    return DeployConfig(
        file=CONFIG_FILE,
        defaults=reader.settings(reader.mapping(top.get("defaults"), "/defaults", SETTINGS), "/defaults"),
        substitutions=reader.parameters(top.get("substitutions"), "/substitutions"),
        environments=reader.environments(top.get("environments"), "/environments"),
        machines={stem: reader.machine(entry, f"/machines/{stem}") for stem, entry in machines.items()},
    )
