"""Named connections for the HTTP Task: the credentials AWS keeps in EventBridge connections, kept here
outside the definition, so ``"ConnectionArn": "arn:aws:events:...:connection/stripe/..."`` runs unchanged.

A connection is read from one of three places (later ones win for the same name):

* a connections file (``SFN_CONNECTIONS_FILE``, YAML or JSON): ``{"connections": {NAME: SPEC}}`` or just
  ``{NAME: SPEC}``, where SPEC is EventBridge's ``CreateConnection`` request (``AuthorizationType`` and
  ``AuthParameters``; an optional ``Arn``);
* a directory of connections (``SFN_CONNECTIONS_DIR``) as Kubernetes mounts a secret per connection: one
  sub-directory per connection name, one file per key (see :func:`_flat_spec` for the keys);
* environment variables ``SFN_CONNECTION_<NAME>`` holding SPEC as JSON (an optional ``Name`` member gives
  the connection's real name when the variable name cannot spell it).

Secret values are :class:`Secret` objects whose ``str``/``repr`` are masked; :meth:`ConnectionStore.redact`
and :class:`RedactSecrets` (a logging filter) scrub them from any text that leaves the worker.
"""

from __future__ import annotations

import json
import logging
import os
import re
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

MASK = "******"
MIN_REDACTED = 4
AUTHORIZATION_TYPES = ("API_KEY", "BASIC", "OAUTH_CLIENT_CREDENTIALS")
FILE_VARIABLE = "SFN_CONNECTIONS_FILE"
DIR_VARIABLE = "SFN_CONNECTIONS_DIR"
ENV_PREFIX = "SFN_CONNECTION_"
_CONNECTION_ARN = re.compile(r"^arn:[^:]+:events:[^:]*:[^:]*:connection/(?P<name>[^/]+)(?:/(?P<id>.+))?$")


class ConnectionConfigError(ValueError):
    """A connection is configured wrongly; the message names the connection and key, never a value."""


class Secret:
    """A credential. Prints as ``******``; :attr:`value` is the only way to the text."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    @property
    def value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return MASK

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Parameter:
    """One of a connection's header, query string or body parameters (``IsValueSecret`` masks it)."""

    key: str
    value: str | Secret

    @property
    def text(self) -> str:
        return self.value.value if isinstance(self.value, Secret) else self.value


@dataclass(frozen=True)
class HttpParameters:
    """EventBridge's ``ConnectionHttpParameters``: header, query string and body parameters."""

    headers: tuple[Parameter, ...] = ()
    query: tuple[Parameter, ...] = ()
    body: tuple[Parameter, ...] = ()


@dataclass(frozen=True)
class OAuthClient:
    """OAuth client-credentials parameters: where to get a token and with which client."""

    authorization_endpoint: str
    http_method: str
    client_id: str
    client_secret: Secret
    parameters: HttpParameters = field(default_factory=HttpParameters)


@dataclass(frozen=True)
class Connection:
    """A named connection: its authorization and the parameters every request through it carries."""

    name: str
    authorization_type: str
    arn: str | None = None
    api_key_name: str | None = None
    api_key_value: Secret | None = None
    username: str | None = None
    password: Secret | None = None
    oauth: OAuthClient | None = None
    invocation: HttpParameters = field(default_factory=HttpParameters)

    def secrets(self) -> list[str]:
        """Every secret text of this connection (for redaction)."""
        found = [s.value for s in (self.api_key_value, self.password) if s is not None]
        if self.oauth is not None:
            found.append(self.oauth.client_secret.value)
            found += _secret_values(self.oauth.parameters)
        return found + _secret_values(self.invocation)


class ConnectionStore:
    """The configured connections, found by ``ConnectionArn`` or by name."""

    def __init__(self, connections: Iterable[Connection] = ()) -> None:
        self._by_name: dict[str, Connection] = {}
        self._by_arn: dict[str, Connection] = {}
        self._issued: dict[str, str] = {}  # connection name -> the access token issued for it
        for connection in connections:
            self.add(connection)

    def add(self, connection: Connection) -> None:
        self._by_name[connection.name] = connection
        if connection.arn:
            self._by_arn[connection.arn] = connection

    def __len__(self) -> int:
        return len(self._by_name)

    def __repr__(self) -> str:
        return f"ConnectionStore({sorted(self._by_name)})"

    def find(self, reference: str) -> Connection | None:
        """The connection an HTTP Task's ``ConnectionArn`` names: a configured ARN, else the ARN's name
        (``connection/NAME/ID``) or last segment, else a plain name; names also match case-insensitively
        with ``-``/``.`` read as ``_`` (how an environment variable spells them)."""
        if reference in self._by_arn:
            return self._by_arn[reference]
        candidates = [reference]
        match = _CONNECTION_ARN.match(reference)
        if match is not None:
            candidates = [match["name"]] + ([match["id"]] if match["id"] else [])
        for name in candidates:
            if name in self._by_name:
                return self._by_name[name]
        for name in candidates:
            key = _env_key(name)
            for known, connection in self._by_name.items():
                if _env_key(known) == key:
                    return connection
        return None

    def secrets(self) -> list[str]:
        """Every secret text of every connection, longest first (so redaction replaces whole secrets).
        Texts shorter than :data:`MIN_REDACTED` are left out: masking ``p`` would mangle every word."""
        every = {s for c in self._by_name.values() for s in c.secrets()} | set(self._issued.values())
        found = {s for s in every if len(s) >= MIN_REDACTED}
        return sorted(found, key=len, reverse=True)

    def remember(self, name: str, secret: str) -> None:
        """Also redact ``secret``, a credential issued for connection ``name`` (an OAuth access token)."""
        self._issued[name] = secret

    def redact(self, text: str) -> str:
        """``text`` with every secret value replaced by ``******``."""
        for secret in self.secrets():
            text = text.replace(secret, MASK)
        return text

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ConnectionStore:
        """Connections from ``SFN_CONNECTIONS_FILE``, ``SFN_CONNECTIONS_DIR`` and ``SFN_CONNECTION_*``."""
        env = os.environ if environ is None else environ
        store = cls()
        if env.get(FILE_VARIABLE):
            for connection in load_file(Path(env[FILE_VARIABLE])):
                store.add(connection)
        if env.get(DIR_VARIABLE):
            for connection in load_directory(Path(env[DIR_VARIABLE])):
                store.add(connection)
        for variable, text in sorted(env.items()):
            if variable.startswith(ENV_PREFIX) and len(variable) > len(ENV_PREFIX):
                store.add(_from_variable(variable, text))
        return store


class RedactSecrets(logging.Filter):
    """A logging filter that masks the secrets of the stores it watches in a record's message."""

    def __init__(self, *stores: ConnectionStore) -> None:
        super().__init__()
        self._stores: weakref.WeakSet[ConnectionStore] = weakref.WeakSet(stores)

    def watch(self, store: ConnectionStore) -> None:
        self._stores.add(store)

    def filter(self, record: logging.LogRecord) -> bool:
        message = redacted = record.getMessage()
        for store in list(self._stores):
            redacted = store.redact(redacted)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def load_file(path: Path) -> list[Connection]:
    """Connections from a YAML or JSON file: ``{"connections": {NAME: SPEC}}`` or ``{NAME: SPEC}``."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ConnectionConfigError(f"cannot read the connections file {path}: {type(e).__name__}") from None
    if isinstance(document, dict) and isinstance(document.get("connections"), dict):
        document = document["connections"]
    if not isinstance(document, dict):
        raise ConnectionConfigError(f"{path}: expected a mapping of connection names to connections")
    return [parse_connection(str(name), spec) for name, spec in document.items()]


def load_directory(path: Path) -> list[Connection]:
    """Connections from a directory with one sub-directory (a mounted secret) per connection."""
    if not path.is_dir():
        raise ConnectionConfigError(f"the connections directory {path} does not exist")
    connections = []
    for entry in sorted(path.iterdir()):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        files = {
            f.name: f.read_text(encoding="utf-8").rstrip("\r\n")
            for f in sorted(entry.iterdir())
            if not f.name.startswith(".") and f.is_file()
        }
        connections.append(parse_connection(entry.name, _flat_spec(entry.name, files)))
    return connections


def parse_connection(name: str, spec: Any) -> Connection:
    """A connection from EventBridge's ``CreateConnection`` shape (``AuthorizationType``,
    ``AuthParameters`` with ``ApiKeyAuthParameters`` / ``BasicAuthParameters`` / ``OAuthParameters`` and
    ``InvocationHttpParameters``), plus an optional ``Arn``."""
    if not isinstance(spec, dict):
        raise ConnectionConfigError(f"connection {name!r}: expected a mapping")
    kind = spec.get("AuthorizationType")
    if kind not in AUTHORIZATION_TYPES:
        raise ConnectionConfigError(
            f"connection {name!r}: AuthorizationType must be one of {', '.join(AUTHORIZATION_TYPES)}"
        )
    auth = _mapping(name, spec.get("AuthParameters"), "AuthParameters")
    connection = Connection(
        name=name,
        authorization_type=kind,
        arn=_optional_text(name, spec.get("Arn"), "Arn"),
        invocation=_http_parameters(name, auth.get("InvocationHttpParameters"), "InvocationHttpParameters"),
    )
    if kind == "API_KEY":
        api_key = _mapping(name, auth.get("ApiKeyAuthParameters"), "ApiKeyAuthParameters")
        return _replace(
            connection,
            api_key_name=_text(name, api_key.get("ApiKeyName"), "ApiKeyName"),
            api_key_value=Secret(_text(name, api_key.get("ApiKeyValue"), "ApiKeyValue")),
        )
    if kind == "BASIC":
        basic = _mapping(name, auth.get("BasicAuthParameters"), "BasicAuthParameters")
        return _replace(
            connection,
            username=_text(name, basic.get("Username"), "Username"),
            password=Secret(_text(name, basic.get("Password"), "Password")),
        )
    oauth = _mapping(name, auth.get("OAuthParameters"), "OAuthParameters")
    client = _mapping(name, oauth.get("ClientParameters"), "ClientParameters")
    method = _optional_text(name, oauth.get("HttpMethod"), "HttpMethod") or "POST"
    if method not in ("GET", "POST", "PUT"):
        raise ConnectionConfigError(f"connection {name!r}: HttpMethod must be GET, POST or PUT")
    return _replace(
        connection,
        oauth=OAuthClient(
            authorization_endpoint=_text(name, oauth.get("AuthorizationEndpoint"), "AuthorizationEndpoint"),
            http_method=method,
            client_id=_text(name, client.get("ClientID"), "ClientID"),
            client_secret=Secret(_text(name, client.get("ClientSecret"), "ClientSecret")),
            parameters=_http_parameters(name, oauth.get("OAuthHttpParameters"), "OAuthHttpParameters"),
        ),
    )


def _flat_spec(name: str, files: dict[str, str]) -> dict[str, Any]:
    """A mounted secret's files as a ``CreateConnection`` spec. Keys: ``arn``, ``authorization-type``
    (else inferred), ``api-key-name``/``api-key-value``, ``username``/``password``, ``client-id``/
    ``client-secret``/``authorization-endpoint``/``http-method``, and ``header.NAME``/``query.NAME``/
    ``body.NAME`` (secret values) and ``oauth-header.NAME``/``oauth-query.NAME``/``oauth-body.NAME``."""
    kind = files.get("authorization-type")
    if kind is None:
        if "api-key-value" in files:
            kind = "API_KEY"
        elif "password" in files:
            kind = "BASIC"
        elif "client-secret" in files:
            kind = "OAUTH_CLIENT_CREDENTIALS"
        else:
            raise ConnectionConfigError(
                f"connection {name!r}: no api-key-value, password or client-secret file"
            )

    def parameters(prefix: str) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for member, kind_prefix in (("HeaderParameters", "header."), ("QueryStringParameters", "query.")):
            found[member] = _flat_parameters(files, prefix + kind_prefix)
        found["BodyParameters"] = _flat_parameters(files, prefix + "body.")
        return found

    auth: dict[str, Any] = {"InvocationHttpParameters": parameters("")}
    if kind == "API_KEY":
        auth["ApiKeyAuthParameters"] = {
            "ApiKeyName": files.get("api-key-name"),
            "ApiKeyValue": files.get("api-key-value"),
        }
    elif kind == "BASIC":
        auth["BasicAuthParameters"] = {"Username": files.get("username"), "Password": files.get("password")}
    else:
        auth["OAuthParameters"] = {
            "AuthorizationEndpoint": files.get("authorization-endpoint"),
            "HttpMethod": files.get("http-method", "POST"),
            "ClientParameters": {
                "ClientID": files.get("client-id"),
                "ClientSecret": files.get("client-secret"),
            },
            "OAuthHttpParameters": parameters("oauth-"),
        }
    spec: dict[str, Any] = {"AuthorizationType": kind, "AuthParameters": auth}
    if "arn" in files:
        spec["Arn"] = files["arn"]
    return spec


def _flat_parameters(files: dict[str, str], prefix: str) -> list[dict[str, Any]]:
    return [
        {"Key": key[len(prefix) :], "Value": value, "IsValueSecret": True}
        for key, value in files.items()
        if key.startswith(prefix) and len(key) > len(prefix)
    ]


def _from_variable(variable: str, text: str) -> Connection:
    suffix = variable[len(ENV_PREFIX) :]
    try:
        spec = json.loads(text)
    except json.JSONDecodeError:
        raise ConnectionConfigError(f"{variable} does not hold a JSON connection") from None
    name = spec.pop("Name", suffix) if isinstance(spec, dict) else suffix
    return parse_connection(str(name), spec)


def _http_parameters(name: str, value: Any, where: str) -> HttpParameters:
    spec = _mapping(name, value, where)
    return HttpParameters(
        headers=_parameters(name, spec.get("HeaderParameters"), f"{where}.HeaderParameters"),
        query=_parameters(name, spec.get("QueryStringParameters"), f"{where}.QueryStringParameters"),
        body=_parameters(name, spec.get("BodyParameters"), f"{where}.BodyParameters"),
    )


def _parameters(name: str, value: Any, where: str) -> tuple[Parameter, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConnectionConfigError(f"connection {name!r}: {where} must be a list of Key/Value")
    found = []
    for item in value:
        item = _mapping(name, item, where)
        key = _text(name, item.get("Key"), f"{where}.Key")
        raw = item.get("Value")
        text = raw if isinstance(raw, str) else json.dumps(raw)
        found.append(Parameter(key, Secret(text) if item.get("IsValueSecret") else text))
    return tuple(found)


def _secret_values(parameters: HttpParameters) -> list[str]:
    every = parameters.headers + parameters.query + parameters.body
    return [p.value.value for p in every if isinstance(p.value, Secret)]


def _mapping(name: str, value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConnectionConfigError(f"connection {name!r}: {where} must be a mapping")
    return value


def _text(name: str, value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConnectionConfigError(f"connection {name!r}: {where} is required (a non-empty string)")
    return value


def _optional_text(name: str, value: Any, where: str) -> str | None:
    return None if value is None else _text(name, value, where)


def _env_key(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "_", name.upper())


def _replace(connection: Connection, **changes: Any) -> Connection:
    return replace(connection, **changes)
