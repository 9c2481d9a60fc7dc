"""Named connections: read from a file, a secrets directory and the environment; found by ARN or name;
their secrets masked everywhere they could be printed."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from workers.connections import (
    MASK,
    ConnectionConfigError,
    ConnectionStore,
    RedactSecrets,
    Secret,
    load_directory,
    load_file,
    parse_connection,
)

STRIPE = {
    "AuthorizationType": "API_KEY",
    "AuthParameters": {
        "ApiKeyAuthParameters": {"ApiKeyName": "Authorization", "ApiKeyValue": "Bearer sk_live_secret"},
        "InvocationHttpParameters": {
            "HeaderParameters": [{"Key": "Stripe-Version", "Value": "2024-06-20"}],
            "QueryStringParameters": [{"Key": "tenant", "Value": "t-secret-1", "IsValueSecret": True}],
        },
    },
}
BASIC = {
    "AuthorizationType": "BASIC",
    "AuthParameters": {"BasicAuthParameters": {"Username": "u", "Password": "pw-secret"}},
}


def test_a_file_holds_connections_in_eventbridges_shape(tmp_path: Path) -> None:
    path = tmp_path / "connections.yaml"
    path.write_text("connections:\n  stripe:\n" + _indent(json.dumps(STRIPE)) + "\n")

    [stripe] = load_file(path)

    assert stripe.name == "stripe" and stripe.authorization_type == "API_KEY"
    assert stripe.api_key_name == "Authorization" and stripe.api_key_value == Secret("Bearer sk_live_secret")
    assert [(p.key, p.text) for p in stripe.invocation.headers] == [("Stripe-Version", "2024-06-20")]
    assert stripe.invocation.query[0].text == "t-secret-1"


def test_a_json_file_may_map_names_at_the_top(tmp_path: Path) -> None:
    path = tmp_path / "connections.json"
    path.write_text(json.dumps({"stripe": STRIPE, "legacy": BASIC}))

    assert sorted(c.name for c in load_file(path)) == ["legacy", "stripe"]


def test_a_secrets_directory_has_one_mounted_secret_per_connection(tmp_path: Path) -> None:
    """As Kubernetes mounts a secret: one file per key (trailing newline allowed), hidden ``..data`` links."""
    mount = tmp_path / "api"
    mount.mkdir()
    (mount / "..data").mkdir()
    (mount / "api-key-name").write_text("x-api-key\n")
    (mount / "api-key-value").write_text("k-secret\n")
    (mount / "header.X-Tenant").write_text("acme")
    (mount / "arn").write_text("arn:aws:events:us-east-1:123456789012:connection/api/abc")
    oauth = tmp_path / "oauth"
    oauth.mkdir()
    for name, value in {
        "client-id": "id",
        "client-secret": "c-secret",
        "authorization-endpoint": "https://auth.example/token",
        "oauth-body.scope": "read",
    }.items():
        (oauth / name).write_text(value)

    api, token = load_directory(tmp_path)

    assert api.authorization_type == "API_KEY" and api.api_key_value == Secret("k-secret")
    assert api.arn == "arn:aws:events:us-east-1:123456789012:connection/api/abc"
    assert [(p.key, p.text, isinstance(p.value, Secret)) for p in api.invocation.headers] == [
        ("X-Tenant", "acme", True)
    ]
    assert token.authorization_type == "OAUTH_CLIENT_CREDENTIALS" and token.oauth is not None
    assert token.oauth.http_method == "POST" and token.oauth.parameters.body[0].text == "read"


def test_environment_variables_hold_json_connections(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"stripe": BASIC}))
    environ = {
        "SFN_CONNECTIONS_FILE": str(path),
        "SFN_CONNECTION_STRIPE": json.dumps({**STRIPE, "Name": "stripe"}),
        "SFN_CONNECTION_MY_API": json.dumps(BASIC),
    }

    store = ConnectionStore.from_environment(environ)

    assert len(store) == 2
    stripe = store.find("stripe")
    assert stripe is not None and stripe.authorization_type == "API_KEY"  # the variable wins over the file
    assert store.find("arn:aws:events:us-east-1:1:connection/my-api/0f1e") is not None


@pytest.mark.parametrize(
    "reference",
    [
        "arn:aws:events:eu-west-1:123456789012:connection/stripe/81210c42-8af1-456b-9c4a-6ff02fc664ac",
        "arn:aws:events:us-east-1:123456789012:connection/stripe",
        "stripe",
        "arn:aws:events:us-east-1:123456789012:connection/other/by-id",
    ],
)
def test_a_connection_is_found_by_arn_name_or_id(reference: str) -> None:
    store = ConnectionStore(
        [
            parse_connection("stripe", STRIPE),
            parse_connection(
                "by-id", {**BASIC, "Arn": "arn:aws:events:us-east-1:123456789012:connection/x/y"}
            ),
        ]
    )

    found = store.find(reference)

    assert found is not None and found.name == ("by-id" if reference.endswith("by-id") else "stripe")


def test_a_configured_arn_is_matched_exactly() -> None:
    arn = "arn:aws:events:us-east-1:123456789012:connection/shared/1"
    store = ConnectionStore([parse_connection("mine", {**BASIC, "Arn": arn})])

    assert store.find(arn) is not None and store.find("nothing") is None


def test_secrets_print_masked() -> None:
    connection = parse_connection("stripe", STRIPE)

    printed = repr(connection) + str(connection) + f"{connection.api_key_value}"

    assert "sk_live_secret" not in printed and "t-secret-1" not in printed and MASK in printed


def test_redact_masks_every_secret_of_every_connection() -> None:
    store = ConnectionStore([parse_connection("stripe", STRIPE), parse_connection("legacy", BASIC)])
    store.remember("stripe", "issued-token")

    text = store.redact("GET /?tenant=t-secret-1 key=Bearer sk_live_secret pw=pw-secret t=issued-token")

    assert text == f"GET /?tenant={MASK} key={MASK} pw={MASK} t={MASK}"


def test_secrets_too_short_to_matter_are_not_masked_inside_words() -> None:
    store = ConnectionStore(
        [
            parse_connection(
                "tiny",
                {**BASIC, "AuthParameters": {"BasicAuthParameters": {"Username": "u", "Password": "p"}}},
            )
        ]
    )

    assert store.redact("http://example.com/p") == "http://example.com/p"


def test_the_logging_filter_masks_secrets(caplog: pytest.LogCaptureFixture) -> None:
    store = ConnectionStore([parse_connection("legacy", BASIC)])
    logger = logging.getLogger("tests.connections.redaction")
    logger.addFilter(RedactSecrets(store))
    caplog.set_level(logging.INFO, logger=logger.name)

    logger.info("password is %s", "pw-secret")

    assert "pw-secret" not in caplog.text and MASK in caplog.text


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"AuthorizationType": "KERBEROS"}, "AuthorizationType"),
        (
            {"AuthorizationType": "API_KEY", "AuthParameters": {"ApiKeyAuthParameters": {"ApiKeyName": "k"}}},
            "ApiKeyValue",
        ),
        (
            {
                "AuthorizationType": "BASIC",
                "AuthParameters": {"BasicAuthParameters": {"Password": "pw-secret"}},
            },
            "Username",
        ),
        (
            {
                **BASIC,
                "AuthParameters": {
                    **BASIC["AuthParameters"],
                    "InvocationHttpParameters": {"HeaderParameters": "x"},
                },
            },
            "HeaderParameters",
        ),
    ],
)
def test_configuration_errors_name_the_key_and_never_a_value(spec: Any, problem: str) -> None:
    with pytest.raises(ConnectionConfigError) as raised:
        parse_connection("broken", spec)

    assert problem in str(raised.value) and "broken" in str(raised.value)
    assert "pw-secret" not in str(raised.value)


def test_a_missing_directory_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConnectionConfigError):
        load_directory(tmp_path / "absent")


def _indent(text: str) -> str:
    return "    " + text
