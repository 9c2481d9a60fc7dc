"""AWS's compact JSON text."""

from __future__ import annotations

import pytest

from orchestrator.dataflow.json_text import dumps, loads


def test_dumps_is_compact_and_keeps_non_ascii() -> None:
    assert dumps({"a": [1, 2.5, None, True], "é": "🆗"}) == '{"a":[1,2.5,null,true],"é":"🆗"}'


def test_dumps_keeps_the_kind_of_a_number() -> None:
    # Recorded: test_invoke_json_values[0.0] returns Payload 0.0, not 0.
    assert dumps([0.0, 0, 1.0, -0.0]) == "[0.0,0,1.0,-0.0]"


def test_dumps_escapes_control_characters() -> None:
    assert dumps('a\nb\t"c"\\') == '"a\\nb\\t\\"c\\"\\\\"'


def test_loads_rejects_non_json_constants() -> None:
    assert loads('{"a": 1.5}') == {"a": 1.5}
    with pytest.raises(ValueError):
        loads("NaN")
