"""The HTTP Task against a local API on 127.0.0.1: request shape, merging, encodings, results, failures,
credentials (and that none of them leaks), and an end-to-end run through the embedded client."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from orchestrator import Client
from workers.connections import ConnectionStore, parse_connection
from workers.http_task import HttpInvoker

API_KEY = "sk-live-0123456789abcdef"
PASSWORD = "hunter2-correct-horse"
CLIENT_SECRET = "oauth-client-secret-42"
TOKEN = "issued-access-token-xyz"
CONNECTION_ARN = "arn:aws:events:us-east-1:123456789012:connection/api/81210c42-8af1-456b-9c4a-6ff02fc664ac"


class Api(BaseHTTPRequestHandler):
    """The local API: ``/echo`` answers the request it got as JSON; other paths play one behaviour each."""

    protocol_version = "HTTP/1.1"
    token_requests: list[dict[str, list[str]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        path = urlsplit(self.path).path
        if path == "/echo":
            headers = {k.lower(): v for k, v in self.headers.items()}
            echo = {
                "method": self.command,
                "query": urlsplit(self.path).query,
                "headers": headers,
                "body": body,
            }
            self._send(200, "application/json", json.dumps(echo).encode())
        elif path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            reason = self.headers.get("X-Reason")
            self.send_response(code, reason)
            self.send_header("Content-Type", "application/json")
            payload = b'{"errors":["the API explains"]}'
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        elif path == "/text":
            self._send(200, "text/plain", b"plain words", extra=[("X-Multi", "one"), ("X-Multi", "two")])
        elif path == "/binary":
            self._send(200, "application/octet-stream", b"\x00\x01")
        elif path == "/image":
            self._send(200, "image/png", b"\x89PNG")
        elif path == "/not-utf8":
            self._send(200, "text/plain", b"\xff\xfe\xfa")
        elif path == "/latin-1":
            self._send(200, "text/plain; charset=latin-1", "café".encode("latin-1"))
        elif path == "/large":
            self._send(200, "text/plain", b"x" * 300_000)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, "text/plain", b"late")
        elif path == "/token":
            Api.token_requests.append(parse_qs(body))
            form = parse_qs(body)
            if form.get("client_secret") != [CLIENT_SECRET] or form.get("grant_type") != [
                "client_credentials"
            ]:
                self._send(401, "application/json", b'{"error":"invalid_client"}')
            else:
                self._send(
                    200, "application/json", json.dumps({"access_token": TOKEN, "expires_in": 3600}).encode()
                )
        elif path == "/secure":
            authorized = self.headers.get("x-api-key") == API_KEY
            self._send(
                200 if authorized else 403,
                "application/json",
                json.dumps({"authorized": authorized}).encode(),
            )
        else:
            self._send(404, "text/plain", b"no such route")

    def _send(self, code: int, content_type: str, payload: bytes, extra: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the timeout test's client left
                self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def api_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def api_key_connection(name: str = "api", **invocation: Any) -> dict[str, Any]:
    return {
        "AuthorizationType": "API_KEY",
        "AuthParameters": {
            "ApiKeyAuthParameters": {"ApiKeyName": "x-api-key", "ApiKeyValue": API_KEY},
            "InvocationHttpParameters": invocation,
        },
    }


def invoker_with(api_url: str, **specs: dict[str, Any]) -> HttpInvoker:
    store = ConnectionStore(parse_connection(name, spec) for name, spec in specs.items())
    return HttpInvoker(store, region="eu-west-1", socket_timeout=5.0)


@pytest.fixture
def invoker(api_url: str) -> Iterator[HttpInvoker]:
    http = invoker_with(api_url, api=api_key_connection())
    yield http
    http.close()


def call(api_url: str, path: str = "/echo", method: str = "GET", **fields: Any) -> dict[str, Any]:
    return {
        "ApiEndpoint": api_url + path,
        "Method": method,
        "InvocationConfig": {"ConnectionArn": CONNECTION_ARN},
        **fields,
    }


def echoed(invoker: HttpInvoker, parameters: dict[str, Any]) -> dict[str, Any]:
    outcome = invoker.invoke(parameters)
    assert outcome.ok, (outcome.error, outcome.cause)
    body: dict[str, Any] = outcome.output["ResponseBody"]
    return body


# --- the result -----------------------------------------------------------------------------------


def test_a_json_response_is_the_result_with_headers_as_lists(invoker: HttpInvoker, api_url: str) -> None:
    outcome = invoker.invoke(call(api_url))

    assert outcome.ok
    assert list(outcome.output) == ["Headers", "ResponseBody", "StatusCode", "StatusText"]
    assert outcome.output["StatusCode"] == 200 and outcome.output["StatusText"] == "OK"
    assert outcome.output["Headers"]["Content-Type"] == ["application/json"]
    assert outcome.output["ResponseBody"]["method"] == "GET"


def test_a_text_response_stays_text_and_repeated_headers_keep_every_value(
    invoker: HttpInvoker, api_url: str
) -> None:
    outcome = invoker.invoke(call(api_url, "/text"))

    assert outcome.output["ResponseBody"] == "plain words"
    assert outcome.output["Headers"]["X-Multi"] == ["one", "two"]


def test_a_declared_charset_is_honoured(invoker: HttpInvoker, api_url: str) -> None:
    assert invoker.invoke(call(api_url, "/latin-1")).output["ResponseBody"] == "café"


def test_head_has_an_empty_body(invoker: HttpInvoker, api_url: str) -> None:
    outcome = invoker.invoke(call(api_url, "/text", "HEAD"))

    assert outcome.ok and outcome.output["ResponseBody"] == ""


# --- the request ----------------------------------------------------------------------------------


def test_step_functions_headers_and_the_api_key_are_sent(invoker: HttpInvoker, api_url: str) -> None:
    headers = echoed(invoker, call(api_url, Headers={"Request-Id": "r1", "X-Count": 3}))["headers"]

    assert headers["user-agent"] == "Amazon|StepFunctions|HttpInvoke|eu-west-1"
    assert headers["range"] == "bytes=0-262144"
    assert headers["request-id"] == "r1" and headers["x-count"] == "3"
    assert headers["x-api-key"] == API_KEY


def test_authentication_is_accepted_as_well_as_invocation_config(invoker: HttpInvoker, api_url: str) -> None:
    parameters = call(api_url)
    parameters["Authentication"] = parameters.pop("InvocationConfig")

    assert invoker.invoke(parameters).ok


def test_query_parameters_are_appended_url_encoded(invoker: HttpInvoker, api_url: str) -> None:
    parameters = call(
        api_url, "/echo?fixed=1", QueryParameters={"currency": "usd", "q": "a b", "ids": [1, 2]}
    )

    assert echoed(invoker, parameters)["query"] == "fixed=1&currency=usd&q=a%20b&ids=1&ids=2"


def test_query_parameters_may_be_a_string(invoker: HttpInvoker, api_url: str) -> None:
    assert echoed(invoker, call(api_url, QueryParameters="a=1&b=two words"))["query"] == "a=1&b=two%20words"


def test_a_json_body_is_sent_compact_with_a_json_content_type(invoker: HttpInvoker, api_url: str) -> None:
    echo = echoed(invoker, call(api_url, method="POST", RequestBody={"Job": "Engineer", "n": 1}))

    assert echo["body"] == '{"Job":"Engineer","n":1}'
    assert echo["headers"]["content-type"] == "application/json; charset=UTF-8"


def test_a_string_body_is_sent_as_it_is(invoker: HttpInvoker, api_url: str) -> None:
    echo = echoed(
        invoker, call(api_url, method="PUT", RequestBody="raw text", Headers={"Content-Type": "text/plain"})
    )

    assert echo["body"] == "raw text" and echo["headers"]["content-type"] == "text/plain"


def test_the_connection_wins_over_the_task_for_headers_query_and_body(api_url: str) -> None:
    http = invoker_with(
        api_url,
        api=api_key_connection(
            HeaderParameters=[{"Key": "Header-Param", "Value": "connection_header_param"}],
            QueryStringParameters=[{"Key": "QueryParam", "Value": "connection_query_param"}],
            BodyParameters=[{"Key": "BodyParam", "Value": "connection_body_param"}],
        ),
    )
    parameters = call(
        api_url,
        method="POST",
        Headers={"Request-Id": "my_request_id", "header-param": "state_machine_header_param"},
        RequestBody={
            "Job": "Software Engineer",
            "Company": "AnyCompany",
            "BodyParam": "state_machine_body_param",
        },
        QueryParameters={"QueryParam": "state_machine_query_param"},
    )

    echo = echoed(http, parameters)

    assert echo["query"] == "QueryParam=connection_query_param"
    assert echo["headers"]["header-param"] == "connection_header_param"
    assert echo["headers"]["request-id"] == "my_request_id"
    assert json.loads(echo["body"]) == {
        "Job": "Software Engineer",
        "Company": "AnyCompany",
        "BodyParam": "connection_body_param",
    }
    http.close()


def test_a_string_body_cannot_merge_with_connection_body_parameters(api_url: str) -> None:
    http = invoker_with(api_url, api=api_key_connection(BodyParameters=[{"Key": "k", "Value": "v"}]))

    outcome = http.invoke(call(api_url, method="POST", RequestBody="text"))

    assert outcome.error == "States.Runtime"
    http.close()


@pytest.mark.parametrize(
    ("array_format", "encoded"),
    [
        ("INDICES", "array%5B0%5D=a&array%5B1%5D=b&array%5B2%5D=c&array%5B3%5D=d"),
        ("REPEAT", "array=a&array=b&array=c&array=d"),
        ("COMMAS", "array=a%2Cb%2Cc%2Cd"),
        ("BRACKETS", "array%5B%5D=a&array%5B%5D=b&array%5B%5D=c&array%5B%5D=d"),
    ],
)
def test_url_encoded_bodies_encode_arrays_as_asked(
    invoker: HttpInvoker, api_url: str, array_format: str, encoded: str
) -> None:
    transform = {
        "RequestBodyEncoding": "URL_ENCODED",
        "RequestEncodingOptions": {"ArrayFormat": array_format},
    }
    parameters = call(
        api_url, method="POST", RequestBody={"array": ["a", "b", "c", "d"]}, Transform=transform
    )

    assert echoed(invoker, parameters)["body"] == encoded


def test_url_encoding_follows_aws_example(invoker: HttpInvoker, api_url: str) -> None:
    """AWS's HTTP Task example: nested keys in brackets, spaces as %20, INDICES by default."""
    body = {
        "customer": "1234567890",
        "description": "Monthly subscription",
        "metadata": {"order_details": "monthly report data"},
    }
    parameters = call(
        api_url,
        method="POST",
        Headers={"Content-Type": "application/x-www-form-urlencoded"},
        RequestBody=body,
        Transform={"RequestBodyEncoding": "URL_ENCODED"},
    )

    echo = echoed(invoker, parameters)

    assert (
        echo["body"]
        == "customer=1234567890&description=Monthly%20subscription&metadata%5Border_details%5D=monthly%20report%20data"
    )
    assert echo["headers"]["content-type"] == "application/x-www-form-urlencoded"


# --- failures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [400, 404, 429, 503])
def test_a_non_2xx_status_fails_with_its_code_and_status_text(
    invoker: HttpInvoker, api_url: str, code: int
) -> None:
    outcome = invoker.invoke(call(api_url, f"/status/{code}"))

    assert outcome.error == f"States.Http.StatusCode.{code}"
    assert outcome.cause in {"Bad Request", "Not Found", "Too Many Requests", "Service Unavailable"}


def test_the_status_text_is_the_servers_reason_phrase(invoker: HttpInvoker, api_url: str) -> None:
    outcome = invoker.invoke(call(api_url, "/status/418", Headers={"X-Reason": "Short and stout"}))

    assert (outcome.error, outcome.cause) == ("States.Http.StatusCode.418", "Short and stout")


def test_a_refused_connection_fails_with_http_socket(invoker: HttpInvoker) -> None:
    outcome = invoker.invoke(call("http://127.0.0.1:1"))

    assert outcome.error == "States.Http.Socket"


def test_a_slow_api_times_out_with_http_socket(api_url: str) -> None:
    http = invoker_with(api_url, api=api_key_connection())

    outcome = http.invoke(call(api_url, "/slow"), timeout_seconds=0.3)

    assert outcome.error == "States.Http.Socket" and "timed out" in (outcome.cause or "")
    http.close()


@pytest.mark.parametrize("path", ["/binary", "/image", "/not-utf8"])
def test_responses_that_are_not_text_fail_with_states_runtime(
    invoker: HttpInvoker, api_url: str, path: str
) -> None:
    assert invoker.invoke(call(api_url, path)).error == "States.Runtime"


def test_a_response_over_256_kib_fails_with_data_limit_exceeded(invoker: HttpInvoker, api_url: str) -> None:
    assert invoker.invoke(call(api_url, "/large")).error == "States.DataLimitExceeded"


@pytest.mark.parametrize(
    "header", ["Authorization", "host", "X-Amz-Date", "x-forwarded-for", "X-Amzn-Trace-Id", "Accept-Encoding"]
)
def test_forbidden_headers_fail_with_states_runtime(invoker: HttpInvoker, api_url: str, header: str) -> None:
    outcome = invoker.invoke(call(api_url, Headers={header: "x"}))

    assert outcome.error == "States.Runtime" and header in (outcome.cause or "")


@pytest.mark.parametrize("missing", ["ApiEndpoint", "Method"])
def test_required_fields_are_checked(invoker: HttpInvoker, api_url: str, missing: str) -> None:
    parameters = call(api_url)
    del parameters[missing]

    outcome = invoker.invoke(parameters)

    assert outcome.error == "States.Runtime"
    assert f"[The field '{missing}' is required but was missing]" in (outcome.cause or "")


def test_a_connection_is_required(invoker: HttpInvoker, api_url: str) -> None:
    outcome = invoker.invoke({"ApiEndpoint": api_url, "Method": "GET"})

    assert outcome.error == "States.Runtime" and "ConnectionArn" in (outcome.cause or "")


@pytest.mark.parametrize("endpoint", ["ftp://example.com/x", "https://", "http://[::1/x", "not a url"])
def test_an_endpoint_that_is_not_an_http_url_fails(invoker: HttpInvoker, endpoint: str) -> None:
    outcome = invoker.invoke({**call(""), "ApiEndpoint": endpoint})

    assert outcome.error == "States.Runtime" and "ApiEndpoint" in (outcome.cause or "")


def test_an_unknown_method_fails(invoker: HttpInvoker, api_url: str) -> None:
    assert invoker.invoke(call(api_url, method="TRACE")).error == "States.Runtime"


def test_an_unknown_connection_fails_with_resource_not_found(invoker: HttpInvoker, api_url: str) -> None:
    parameters = call(
        api_url, InvocationConfig={"ConnectionArn": "arn:aws:events:us-east-1:1:connection/nope/1"}
    )

    outcome = invoker.invoke(parameters)

    assert outcome.error == "Events.ConnectionResource.ResourceNotFound"
    assert "arn:aws:events:us-east-1:1:connection/nope/1" in (outcome.cause or "")


# --- credentials ----------------------------------------------------------------------------------


def test_basic_authorization(api_url: str) -> None:
    spec = {
        "AuthorizationType": "BASIC",
        "AuthParameters": {"BasicAuthParameters": {"Username": "me", "Password": PASSWORD}},
    }
    http = invoker_with(api_url, api=spec)

    headers = echoed(http, call(api_url))["headers"]

    assert headers["authorization"] == "Basic bWU6aHVudGVyMi1jb3JyZWN0LWhvcnNl"
    http.close()


def oauth_spec(api_url: str, secret: str = CLIENT_SECRET) -> dict[str, Any]:
    return {
        "AuthorizationType": "OAUTH_CLIENT_CREDENTIALS",
        "AuthParameters": {
            "OAuthParameters": {
                "AuthorizationEndpoint": api_url + "/token",
                "HttpMethod": "POST",
                "ClientParameters": {"ClientID": "client", "ClientSecret": secret},
                "OAuthHttpParameters": {"BodyParameters": [{"Key": "scope", "Value": "read"}]},
            }
        },
    }


def test_oauth_client_credentials_fetch_a_token_once_and_send_it(api_url: str) -> None:
    http = invoker_with(api_url, api=oauth_spec(api_url))
    Api.token_requests.clear()

    first = echoed(http, call(api_url))["headers"]
    second = echoed(http, call(api_url))["headers"]

    assert first["authorization"] == second["authorization"] == f"Bearer {TOKEN}"
    assert len(Api.token_requests) == 1 and Api.token_requests[0]["scope"] == ["read"]
    http.close()


def test_an_oauth_token_refused_fails_with_invalid_connection_state(api_url: str) -> None:
    http = invoker_with(api_url, api=oauth_spec(api_url, secret="wrong-secret-value"))

    outcome = http.invoke(call(api_url))

    assert outcome.error == "Events.ConnectionResource.InvalidConnectionState"
    assert "wrong-secret-value" not in (outcome.cause or "")
    http.close()


def test_no_secret_reaches_a_cause_or_a_log_line(api_url: str, caplog: pytest.LogCaptureFixture) -> None:
    secret_query = {"Key": "token", "Value": "query-secret-987", "IsValueSecret": True}
    http = invoker_with(api_url, api=api_key_connection(QueryStringParameters=[secret_query]))
    caplog.set_level(logging.DEBUG)

    ok = http.invoke(call(api_url))
    refused = http.invoke(call(f"http://127.0.0.1:1/?leak={API_KEY}"))

    assert ok.ok and refused.error == "States.Http.Socket"
    assert API_KEY not in (refused.cause or "")
    assert "query-secret-987" not in caplog.text and API_KEY not in caplog.text
    assert "HTTP Request" in caplog.text  # httpx did log the request, with the secret masked
    http.close()


# --- end to end -----------------------------------------------------------------------------------


def http_machine(api_url: str) -> dict[str, Any]:
    return {
        "StartAt": "Call",
        "States": {
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {
                    "ApiEndpoint.$": "States.Format('{}/{}', $.base, $.path)",
                    "Method": "GET",
                    "Authentication": {"ConnectionArn": CONNECTION_ARN},
                },
                "ResultSelector": {"authorized.$": "$.ResponseBody.authorized", "status.$": "$.StatusCode"},
                "Catch": [
                    {
                        "ErrorEquals": ["States.Http.StatusCode.404"],
                        "ResultPath": "$.error",
                        "Next": "Missing",
                    }
                ],
                "End": True,
            },
            "Missing": {"Type": "Pass", "End": True},
        },
    }


@pytest.fixture
def embedded_client(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    """An embedded client whose workers read the connection from a connections file."""
    path = tmp_path / "connections.yaml"
    path.write_text(json.dumps({"connections": {"api": api_key_connection()}}))
    monkeypatch.setenv("SFN_CONNECTIONS_FILE", str(path))
    with Client() as client:
        yield client


def test_an_http_task_runs_embedded_and_its_history_holds_no_secret(
    embedded_client: Client, api_url: str
) -> None:
    machine = embedded_client.create_state_machine("http", http_machine(api_url))

    arn = embedded_client.start_execution(machine, {"base": api_url, "path": "secure"})

    assert embedded_client.result(arn, timeout=10) == {"authorized": True, "status": 200}
    history = embedded_client.history(arn)
    scheduled = next(e for e in history if e["type"] == "TaskScheduled")["taskScheduledEventDetails"]
    assert (scheduled["resourceType"], scheduled["resource"]) == ("http", "invoke")
    succeeded = next(e for e in history if e["type"] == "TaskSucceeded")["taskSucceededEventDetails"]
    assert (succeeded["resourceType"], succeeded["resource"]) == ("http", "invoke")
    assert json.loads(succeeded["output"])["StatusCode"] == 200
    assert API_KEY not in json.dumps(history) + json.dumps(embedded_client.describe_execution(arn))


def test_an_http_status_is_caught_by_name(embedded_client: Client, api_url: str) -> None:
    machine = embedded_client.create_state_machine("http-404", http_machine(api_url))

    arn = embedded_client.start_execution(machine, {"base": api_url, "path": "status/404"})

    output = embedded_client.result(arn, timeout=10)
    assert output["error"] == {"Error": "States.Http.StatusCode.404", "Cause": "Not Found"}
    failed = next(e for e in embedded_client.history(arn) if e["type"] == "TaskFailed")[
        "taskFailedEventDetails"
    ]
    assert failed["error"] == "States.Http.StatusCode.404" and failed["resourceType"] == "http"


def test_an_http_task_runs_on_a_celery_worker(
    redis_url: str, api_url: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Distributed mode: the worker's resolver reads the same connections configuration."""
    from celery.contrib.testing.worker import start_worker

    from tests.runtime.test_distributed import Deployment

    path = tmp_path / "connections.json"
    path.write_text(json.dumps({"api": api_key_connection()}))
    monkeypatch.setenv("SFN_CONNECTIONS_FILE", str(path))
    deployment = Deployment(redis_url)
    try:
        with start_worker(
            deployment.app,
            pool="threads",
            concurrency=2,
            perform_ping_check=False,
            queues=["sfn-tasks", "sfn-timers"],
            loglevel="WARNING",
        ):
            arn = deployment.start(http_machine(api_url), {"base": api_url, "path": "secure"})

            record = deployment.finished(arn)
    finally:
        deployment.close()

    assert (record.status, json.loads(record.output or "null")) == (
        "SUCCEEDED",
        {"authorized": True, "status": 200},
    )
    history = deployment.store.history(arn)
    assert [
        e["taskScheduledEventDetails"]["resourceType"] for e in history if e["type"] == "TaskScheduled"
    ] == ["http"]
    assert API_KEY not in json.dumps(history)
