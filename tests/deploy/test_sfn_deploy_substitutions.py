"""``${name}`` placeholders as CloudFormation's DefinitionSubstitutions fills them (text replacement,
anywhere, repeatedly, no escaping, unknown names left alone)."""

from __future__ import annotations

import pytest

from orchestrator.deploy.errors import ConfigError
from orchestrator.deploy.substitutions import substitute, unresolved


def test_given_placeholders_in_strings_keys_and_bare_positions_expect_all_replaced() -> None:
    text = '{"${Key}": "s3://${Bucket}/x", "MaxAttempts": ${N}}'
    assert substitute(text, {"Key": "k", "Bucket": "b", "N": 3}) == '{"k": "s3://b/x", "MaxAttempts": 3}'


def test_given_integer_and_boolean_values_expect_java_spelling() -> None:
    assert substitute("${A} ${B} ${C}", {"A": 7, "B": True, "C": False}) == "7 true false"


def test_given_a_value_with_a_quote_expect_it_inserted_unescaped() -> None:
    assert substitute('"${V}"', {"V": 'a"b'}) == '"a"b"'


def test_given_an_unknown_name_expect_it_left_as_it_is() -> None:
    assert substitute("${Known} ${Unknown} $Known {Known}", {"Known": "x"}) == "x ${Unknown} $Known {Known}"


def test_given_a_value_naming_another_placeholder_expect_it_substituted_again() -> None:
    assert substitute("${Url}", {"Url": "https://${Host}/", "Host": "example.com"}) == "https://example.com/"


def test_given_substitutions_in_a_cycle_expect_a_config_error() -> None:
    with pytest.raises(ConfigError, match="cycle: A, B"):
        substitute("${A}", {"A": "${B}", "B": "${A}"})


def test_given_a_value_of_another_type_expect_a_config_error() -> None:
    with pytest.raises(ConfigError, match="'F' must be a string"):
        substitute("${F}", {"F": 1.5})


def test_given_a_replaced_value_expect_one_pass_not_to_rescan_it_partially() -> None:
    # "${" + "A}" only forms a placeholder after the first pass; the next pass fills it
    assert substitute("${X}A}", {"X": "${", "A": "a"}) == "a"


def test_given_leftover_placeholders_expect_their_json_locations() -> None:
    document = {"States": {"P": {"Result": ["ok", "${Missing}"]}, "${Key}": {}}}
    assert list(unresolved(document)) == [
        ("/States/P/Result[1]", "${Missing}"),
        ("/States/${Key}", "${Key}"),
    ]
