"""The HTTP Task (``arn:aws:states:::http:invoke``): call an HTTP API the way AWS Step Functions does.

AWS, "Call HTTPS APIs in Step Functions workflows": ``Parameters`` holds ``ApiEndpoint`` and ``Method``
(required), the connection (``InvocationConfig`` or ``Authentication`` with ``ConnectionArn``),
``Headers``, ``QueryParameters``, ``RequestBody`` and ``Transform``. The connection's headers, query and
body parameters are merged over the task's ("Step Functions uses the corresponding values specified in
the EventBridge connection"); a string ``RequestBody`` with connection body parameters fails with
``States.Runtime``, as do the forbidden headers and binary responses. Step Functions sets ``User-Agent:
Amazon|StepFunctions|HttpInvoke|REGION`` and ``Range: bytes=0-262144``; a request times out after 60
seconds (``States.Http.Socket``). The result is ``{"Headers", "ResponseBody", "StatusCode",
"StatusText"}``; a non-2xx status fails with ``States.Http.StatusCode.<code>`` whose cause is the status
text (observed: the response body is not kept). Credentials come from :mod:`workers.connections` and are
masked in every cause and log line this module writes.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import httpx

from workers.connections import Connection, ConnectionConfigError, ConnectionStore, RedactSecrets
from workers.outcome import TaskOutcome

log = logging.getLogger(__name__)
REDACTION = RedactSecrets()
for _name in ("httpx", "httpcore", __name__):
    logging.getLogger(_name).addFilter(REDACTION)

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
ARRAY_FORMATS = ("INDICES", "REPEAT", "COMMAS", "BRACKETS")
SOCKET_TIMEOUT_SECONDS = 60.0
MAX_RESPONSE_BYTES = 262144
FORBIDDEN_HEADERS = frozenset(
    h.lower()
    for h in (
        "A-IM", "Accept-Charset", "Accept-Datetime", "Accept-Encoding", "Authorization", "Cache-Control",
        "Connection", "Content-Encoding", "Content-MD5", "Date", "Expect", "Forwarded", "From", "Host",
        "HTTP2-Settings", "If-Match", "If-Modified-Since", "If-None-Match", "If-Range",
        "If-Unmodified-Since", "Max-Forwards", "Origin", "Pragma", "Proxy-Authorization", "Referer",
        "Server", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Via", "Warning",
    )
)  # fmt: skip
FORBIDDEN_PREFIXES = ("x-forwarded-", "x-amz-", "x-amzn-")
_UNSUPPORTED_MEDIA = ("image/", "video/", "audio/")


class HttpTaskFailed(Exception):
    """The task fails with ``error``/``cause`` (raised while building or sending the request)."""

    def __init__(self, error: str, cause: str) -> None:
        super().__init__(error, cause)
        self.error, self.cause = error, cause


def runtime_error(cause: str) -> HttpTaskFailed:
    return HttpTaskFailed("States.Runtime", cause)


class HttpInvoker:
    """Runs HTTP Tasks over one ``httpx.Client``; ``connections`` is read on first use unless given."""

    def __init__(
        self,
        connections: ConnectionStore | None = None,
        *,
        region: str = "us-east-1",
        socket_timeout: float = SOCKET_TIMEOUT_SECONDS,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.region = region
        self.socket_timeout = socket_timeout
        self._connections = connections
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[str, float]] = {}
        self._client = httpx.Client(transport=transport, follow_redirects=False, trust_env=False)
        if connections is not None:
            REDACTION.watch(connections)

    @property
    def connections(self) -> ConnectionStore:
        with self._lock:
            if self._connections is None:
                self._connections = ConnectionStore.from_environment()
                REDACTION.watch(self._connections)
            return self._connections

    def close(self) -> None:
        self._client.close()

    def invoke(self, parameters: Any, *, timeout_seconds: float | None = None) -> TaskOutcome:
        """One HTTP Task attempt: the response as the task result, or the failure AWS reports."""
        timeout = min(self.socket_timeout, timeout_seconds or self.socket_timeout)
        store: ConnectionStore | None = None
        try:
            call = _Call.read(parameters)
            try:
                store = self.connections
            except ConnectionConfigError as e:
                raise HttpTaskFailed("Events.ConnectionResource.InternalError", str(e)) from None
            connection = store.find(call.connection_arn)
            if connection is None:
                raise HttpTaskFailed(
                    "Events.ConnectionResource.ResourceNotFound",
                    f"Connection '{call.connection_arn}' does not exist. Configure it in the connections "
                    "file (SFN_CONNECTIONS_FILE), directory (SFN_CONNECTIONS_DIR) or an SFN_CONNECTION_<NAME> "
                    "environment variable.",
                )
            request = self._build(call, connection, timeout)
            return self._send(request, connection, timeout)
        except HttpTaskFailed as failed:
            cause = failed.cause if store is None else store.redact(failed.cause)
            return TaskOutcome.failure(failed.error, cause)

    def _build(self, call: _Call, connection: Connection, timeout: float) -> httpx.Request:
        headers = _merge([*call.headers], [(p.key, p.text) for p in connection.invocation.headers], fold=True)
        query = _merge([*call.query], [(p.key, p.text) for p in connection.invocation.query], fold=False)
        body = _body(call, connection)
        if body is not None and not _has(headers, "content-type"):
            form = call.encoding == "URL_ENCODED" and not isinstance(call.body, str)
            content_type = "application/x-www-form-urlencoded" if form else "application/json; charset=UTF-8"
            headers.append(("Content-Type", content_type))
        headers += [
            ("Range", f"bytes=0-{MAX_RESPONSE_BYTES}"),
            ("User-Agent", f"Amazon|StepFunctions|HttpInvoke|{self.region}"),
        ]
        authorization = self._authorization(connection, timeout)
        if authorization is not None:
            headers = [h for h in headers if h[0].lower() != authorization[0].lower()] + [authorization]
        url = call.endpoint
        if query:
            url += ("&" if urlsplit(url).query else "?") + _encode_pairs(query)
        try:
            return self._client.build_request(
                call.method, url, headers=headers, content=body, timeout=timeout
            )
        except (httpx.InvalidURL, ValueError, TypeError) as e:
            raise runtime_error(f"The HTTP request cannot be built: {e}") from None

    def _authorization(self, connection: Connection, timeout: float) -> tuple[str, str] | None:
        if connection.authorization_type == "API_KEY":
            assert connection.api_key_name is not None and connection.api_key_value is not None
            return connection.api_key_name, connection.api_key_value.value
        if connection.authorization_type == "BASIC":
            assert connection.username is not None and connection.password is not None
            pair = f"{connection.username}:{connection.password.value}".encode()
            return "Authorization", "Basic " + base64.b64encode(pair).decode()
        return "Authorization", "Bearer " + self._token(connection, timeout)

    def _token(self, connection: Connection, timeout: float) -> str:
        """An OAuth client-credentials access token, cached until shortly before it expires."""
        cached = self._tokens.get(connection.name)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        oauth = connection.oauth
        assert oauth is not None
        fields = [("grant_type", "client_credentials"), ("client_id", oauth.client_id)]
        fields += [("client_secret", oauth.client_secret.value)] + [
            (p.key, p.text) for p in oauth.parameters.body
        ]
        query = [(p.key, p.text) for p in oauth.parameters.query]
        headers = [(p.key, p.text) for p in oauth.parameters.headers]
        url = oauth.authorization_endpoint
        if oauth.http_method == "GET":
            query += fields
            content = None
        else:
            content = _encode_pairs(fields).encode()
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        if query:
            url += ("&" if urlsplit(url).query else "?") + _encode_pairs(query)
        failed = HttpTaskFailed(
            "Events.ConnectionResource.InvalidConnectionState",
            f"The connection '{connection.name}' could not be authorized",
        )
        try:
            response = self._client.request(
                oauth.http_method, url, headers=headers, content=content, timeout=timeout
            )
            token = response.json().get("access_token") if response.is_success else None
            expires_in = response.json().get("expires_in", 3600) if token else 0
        except (httpx.HTTPError, ValueError, AttributeError):
            raise failed from None
        if not isinstance(token, str) or not token:
            failed.cause += f": the authorization endpoint answered {response.status_code}"
            raise failed
        lifetime = float(expires_in) if isinstance(expires_in, int | float) else 3600.0
        self._tokens[connection.name] = (token, time.monotonic() + max(lifetime - 30.0, 0.0))
        self.connections.remember(connection.name, token)
        return token

    def _send(self, request: httpx.Request, connection: Connection, timeout: float) -> TaskOutcome:
        target = f"{request.method} {request.url.scheme}://{request.url.netloc.decode()}{request.url.path}"
        log.debug("HTTP Task: %s", target)
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException:
            raise HttpTaskFailed(
                "States.Http.Socket", f"The request {target} timed out after {timeout:g} seconds"
            ) from None
        except httpx.HTTPError as e:
            raise HttpTaskFailed("States.Http.Socket", f"The request {target} failed: {e}") from None
        try:
            if response.status_code == 401 and connection.oauth is not None:
                self._tokens.pop(connection.name, None)  # the next attempt asks for a new token
            if not response.is_success:
                error = f"States.Http.StatusCode.{response.status_code}"
                return TaskOutcome.failure(error, response.reason_phrase)
            body = _read(response, target)
        finally:
            response.close()
        result = {
            "Headers": _headers(response),
            "ResponseBody": body,
            "StatusCode": response.status_code,
            "StatusText": response.reason_phrase,
        }
        return TaskOutcome(output=result)


class _Call:
    """An HTTP Task's ``Parameters``, checked."""

    def __init__(self, parameters: dict[str, Any]) -> None:
        self.endpoint = _required(parameters, "ApiEndpoint")
        self.method = _required(parameters, "Method")
        if self.method not in METHODS:
            raise runtime_error(
                f"The Method '{self.method}' is not supported; use one of {', '.join(METHODS)}"
            )
        try:
            parts = urlsplit(self.endpoint)
        except ValueError:
            parts = urlsplit("")
        if parts.scheme.lower() not in ("https", "http") or not parts.netloc:
            raise runtime_error(f"The ApiEndpoint '{self.endpoint}' is not a valid HTTPS URL")
        config = parameters.get("InvocationConfig") or parameters.get("Authentication")
        arn = config.get("ConnectionArn") if isinstance(config, dict) else None
        if not isinstance(arn, str) or not arn:
            raise _missing(parameters, "ConnectionArn")
        self.connection_arn = arn
        self.headers = _header_pairs(parameters.get("Headers"))
        self.query = _query_pairs(parameters.get("QueryParameters"))
        self.body = parameters.get("RequestBody")
        transform = parameters.get("Transform") or {}
        if not isinstance(transform, dict):
            raise runtime_error("The field 'Transform' must be an object")
        self.encoding = transform.get("RequestBodyEncoding", "NONE")
        if self.encoding not in ("NONE", "URL_ENCODED"):
            raise runtime_error(f"The RequestBodyEncoding '{self.encoding}' is not NONE or URL_ENCODED")
        options = transform.get("RequestEncodingOptions") or {}
        self.array_format = options.get("ArrayFormat", "INDICES") if isinstance(options, dict) else None
        if self.array_format not in ARRAY_FORMATS:
            raise runtime_error(
                f"The ArrayFormat '{self.array_format}' is not one of {', '.join(ARRAY_FORMATS)}"
            )

    @classmethod
    def read(cls, parameters: Any) -> _Call:
        if not isinstance(parameters, dict):
            raise runtime_error(
                f"The Parameters '{_compact(parameters)}' could not be used to start the Task"
            )
        return cls(parameters)


def _required(parameters: dict[str, Any], name: str) -> str:
    value = parameters.get(name)
    if not isinstance(value, str) or not value:
        raise _missing(parameters, name)
    return value


def _missing(parameters: dict[str, Any], name: str) -> HttpTaskFailed:
    return runtime_error(
        f"The Parameters '{_compact(parameters)}' could not be used to start the Task: "
        f"[The field '{name}' is required but was missing]"
    )


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    if headers is None:
        return []
    if not isinstance(headers, dict):
        raise runtime_error("The field 'Headers' must be an object")
    pairs = []
    for name, value in headers.items():
        lower = name.lower()
        if lower in FORBIDDEN_HEADERS or lower.startswith(FORBIDDEN_PREFIXES):
            raise runtime_error(f"The header '{name}' is not allowed in an HTTP Task")
        values = value if isinstance(value, list) else [value]
        pairs.append((name, ",".join(_text(v) for v in values)))
    return pairs


def _query_pairs(query: Any) -> list[tuple[str, str]]:
    if query is None:
        return []
    if isinstance(query, str):
        return parse_qsl(query.lstrip("?"), keep_blank_values=True)
    if isinstance(query, list) and all(isinstance(item, dict) for item in query):
        return [pair for item in query for pair in _flatten(item, "REPEAT")]
    if isinstance(query, dict):
        return _flatten(query, "REPEAT")
    raise runtime_error("The field 'QueryParameters' must be an object, an array or a string")


def _body(call: _Call, connection: Connection) -> bytes | None:
    """The request body: ``RequestBody`` with the connection's body parameters merged over it, then
    serialized ("Step Functions applies all transformations and serializes the request body after it
    completes the merging")."""
    body, extra = call.body, connection.invocation.body
    if extra:
        if isinstance(body, str):
            raise runtime_error(
                "The RequestBody is a string and the connection has body parameters; they cannot be merged"
            )
        if body is not None and not isinstance(body, dict):
            raise runtime_error("The RequestBody cannot be merged with the connection's body parameters")
        body = {**(body or {}), **{p.key: p.text for p in extra}}
    if body is None:
        return None
    if isinstance(body, str):
        return body.encode()
    if call.encoding == "URL_ENCODED" and isinstance(body, dict):
        return _encode_pairs(_flatten(body, call.array_format or "INDICES")).encode()
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def _flatten(value: dict[str, Any], array_format: str, prefix: str = "") -> list[tuple[str, str]]:
    """An object as form pairs: nested keys as ``a[b]``, arrays as the ``ArrayFormat`` says."""
    pairs: list[tuple[str, str]] = []
    for key, item in value.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        pairs += _flatten_value(name, item, array_format)
    return pairs


def _flatten_value(name: str, item: Any, array_format: str) -> list[tuple[str, str]]:
    if isinstance(item, dict):
        return _flatten(item, array_format, name)
    if not isinstance(item, list):
        return [(name, _text(item))]
    if array_format == "COMMAS" and not any(isinstance(i, dict | list) for i in item):
        return [(name, ",".join(_text(i) for i in item))]
    pairs: list[tuple[str, str]] = []
    for index, element in enumerate(item):
        key = {"REPEAT": name, "BRACKETS": f"{name}[]"}.get(array_format, f"{name}[{index}]")
        pairs += _flatten_value(key, element, array_format)
    return pairs


def _encode_pairs(pairs: list[tuple[str, str]]) -> str:
    """``k=v&...`` percent-encoded as AWS shows it (``Monthly%20subscription``, ``metadata%5Bkey%5D``)."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def _merge(
    base: list[tuple[str, str]], override: list[tuple[str, str]], *, fold: bool
) -> list[tuple[str, str]]:
    """``base`` with every key of ``override`` replaced by the override's values (header names fold case)."""

    def key(name: str) -> str:
        return name.lower() if fold else name

    replaced = {key(k) for k, _ in override}
    return [(k, v) for k, v in base if key(k) not in replaced] + override


def _has(headers: list[tuple[str, str]], name: str) -> bool:
    return any(k.lower() == name for k, _ in headers)


def _read(response: httpx.Response, target: str) -> Any:
    """The response body as the task result holds it: parsed JSON for a JSON content type, else text."""
    content_type = response.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media == "application/octet-stream" or media.startswith(_UNSUPPORTED_MEDIA):
        raise runtime_error(f"The response of {target} has the unsupported content type '{media}'")
    data = bytearray()
    try:
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > MAX_RESPONSE_BYTES:
                raise HttpTaskFailed(
                    "States.DataLimitExceeded",
                    f"The response of {target} exceeds the maximum of {MAX_RESPONSE_BYTES} bytes",
                )
    except httpx.HTTPError as e:
        raise HttpTaskFailed("States.Http.Socket", f"Reading the response of {target} failed: {e}") from None
    try:
        text = bytes(data).decode(response.charset_encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        raise runtime_error(f"The response of {target} cannot be read as a string") from None
    if media == "application/json" or media.endswith("+json"):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _headers(response: httpx.Response) -> dict[str, list[str]]:
    """Response headers as AWS returns them: each name (as sent) with the list of its values."""
    headers: dict[str, list[str]] = {}
    for raw_name, raw_value in response.headers.raw:
        name = raw_name.decode("latin-1")
        existing = next((k for k in headers if k.lower() == name.lower()), name)
        headers.setdefault(existing, []).append(raw_value.decode("latin-1"))
    return headers


def _text(value: Any) -> str:
    """A JSON scalar as a header, query or form value (``true``, ``1.5``, ``""`` for null)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
