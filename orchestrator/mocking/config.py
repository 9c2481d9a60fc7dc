"""The mock configuration file of AWS Step Functions Local (``SFN_MOCK_CONFIG`` / ``MockConfigFile.json``).

Shape (AWS developer guide, "Configuration file for mocked service integrations")::

    {"StateMachines": {"<machine name>": {"TestCases": {"<case>": {"<state name>": "<response name>"}}}},
     "MockedResponses": {"<response name>": {"0": {"Return": <any JSON>},
                                             "1-2": {"Throw": {"Error": "...", "Cause": "..."}}}}}

A response's keys are invocation numbers of the state in the execution (``"3"``) or inclusive ranges
(``"0-2"``). Every structural problem is reported at once, each with its JSON location
(:class:`MockConfigError`). As Step Functions Local does, a test case naming a response that does not
exist, and an invocation no key covers, are not load errors: the execution fails with
``States.Runtime`` when the state runs (:meth:`MockConfig.response`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orchestrator.errors import SfnError

_RANGE = re.compile(r"^(0|[1-9][0-9]*)(?:-(0|[1-9][0-9]*))?$")


@dataclass(frozen=True)
class Problem:
    """One problem in a mock configuration: a JSON pointer (``/MockedResponses/R/0/Throw``) and what is wrong."""

    path: str
    message: str

    def render(self) -> str:
        return f"{self.path or '/'}: {self.message}"


class MockConfigError(SfnError):
    """A mock configuration file that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p.render()}" for p in problems)
        super().__init__(f"Invalid mock configuration {source}:\n{lines}")


@dataclass(frozen=True)
class MockedResponse:
    """What one invocation answers: ``Return`` (``output``) or ``Throw`` (``error``/``cause``)."""

    output: Any = None
    error: str | None = None
    cause: str | None = None

    @property
    def throws(self) -> bool:
        return self.error is not None


@dataclass(frozen=True)
class InvocationRange:
    """The response of invocations ``first`` to ``last`` (inclusive) of a state."""

    first: int
    last: int
    response: MockedResponse


@dataclass
class MockConfig:
    """A parsed, valid mock configuration (see the module docstring)."""

    test_cases: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    """machine name -> test case name -> state name -> mocked response name"""
    mocked_responses: dict[str, list[InvocationRange]] = field(default_factory=dict)
    source: str = "<mock config>"

    def test_case(self, machine_name: str, test_case: str) -> dict[str, str] | None:
        """The state -> response mapping of a test case, or ``None`` when it is not defined."""
        return self.test_cases.get(machine_name, {}).get(test_case)

    def response(self, response_name: str, invocation: int) -> MockedResponse | None:
        """What invocation ``invocation`` (0-based) answers, or ``None`` when nothing covers it."""
        for entry in self.mocked_responses.get(response_name, ()):
            if entry.first <= invocation <= entry.last:
                return entry.response
        return None


def load_mock_config(path: str | Path) -> MockConfig:
    """Read and validate a mock configuration file; :class:`MockConfigError` lists every problem."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise MockConfigError(source, [Problem("", f"cannot read the file: {error.strerror}")]) from None
    return parse_mock_config(text, source=source)


def parse_mock_config(document: str | dict[str, Any], *, source: str = "<mock config>") -> MockConfig:
    """Validate a mock configuration given as JSON text or as an already-parsed document."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError as error:
            where = f"line {error.lineno}, column {error.colno}"
            raise MockConfigError(source, [Problem("", f"not valid JSON ({error.msg}, {where})")]) from None
    problems: list[Problem] = []
    config = MockConfig(source=source)
    if not isinstance(document, dict):
        raise MockConfigError(source, [Problem("", f"must be a JSON object, not {_kind(document)}")])
    _unknown_fields(document, ("StateMachines", "MockedResponses"), "", problems)
    machines = _object(document.get("StateMachines", {}), "/StateMachines", problems)
    for machine_name, machine in machines.items():
        cases = _test_cases(machine, f"/StateMachines/{_escape(machine_name)}", problems)
        config.test_cases[machine_name] = cases
    responses = _object(document.get("MockedResponses", {}), "/MockedResponses", problems)
    for response_name, invocations in responses.items():
        path = f"/MockedResponses/{_escape(response_name)}"
        config.mocked_responses[response_name] = _invocations(invocations, path, problems)
    if problems:
        raise MockConfigError(source, problems)
    return config


def _test_cases(machine: Any, path: str, problems: list[Problem]) -> dict[str, dict[str, str]]:
    machine = _object(machine, path, problems)
    _unknown_fields(machine, ("TestCases",), path, problems)
    if machine and "TestCases" not in machine:
        problems.append(Problem(path, "missing required field 'TestCases'"))
    cases: dict[str, dict[str, str]] = {}
    for case_name, mapping in _object(machine.get("TestCases", {}), f"{path}/TestCases", problems).items():
        case_path = f"{path}/TestCases/{_escape(case_name)}"
        states: dict[str, str] = {}
        for state_name, response_name in _object(mapping, case_path, problems).items():
            if isinstance(response_name, str) and response_name:
                states[state_name] = response_name
            else:
                problems.append(
                    Problem(
                        f"{case_path}/{_escape(state_name)}",
                        f"must be the name of a mocked response (a non-empty string), not {_kind(response_name)}",
                    )
                )
        cases[case_name] = states
    return cases


def _invocations(invocations: Any, path: str, problems: list[Problem]) -> list[InvocationRange]:
    entries: list[InvocationRange] = []
    for key, entry in _object(invocations, path, problems).items():
        entry_path = f"{path}/{_escape(key)}"
        match = _RANGE.match(key)
        if match is None:
            problems.append(
                Problem(
                    entry_path,
                    f"'{key}' is not an invocation number ('0', '3') or an inclusive range ('1-2')",
                )
            )
            continue
        first = int(match[1])
        last = int(match[2]) if match[2] is not None else first
        if last < first:
            problems.append(Problem(entry_path, f"the range '{key}' ends before it starts"))
            continue
        response = _response(entry, entry_path, problems)
        if response is None:
            continue
        for other in entries:
            if first <= other.last and other.first <= last:
                problems.append(
                    Problem(
                        entry_path,
                        f"invocations {max(first, other.first)}-{min(last, other.last)} are covered by more "
                        "than one key",
                    )
                )
        entries.append(InvocationRange(first, last, response))
    return sorted(entries, key=lambda e: e.first)


def _response(entry: Any, path: str, problems: list[Problem]) -> MockedResponse | None:
    if not isinstance(entry, dict):
        problems.append(Problem(path, f"must be an object with 'Return' or 'Throw', not {_kind(entry)}"))
        return None
    _unknown_fields(entry, ("Return", "Throw"), path, problems)
    if ("Return" in entry) == ("Throw" in entry):
        problems.append(Problem(path, "must have exactly one of 'Return' and 'Throw'"))
        return None
    if "Return" in entry:
        return MockedResponse(output=entry["Return"])
    throw = entry["Throw"]
    throw_path = f"{path}/Throw"
    if not isinstance(throw, dict):
        problems.append(
            Problem(throw_path, f"must be an object with 'Error' and 'Cause', not {_kind(throw)}")
        )
        return None
    _unknown_fields(throw, ("Error", "Cause"), throw_path, problems)
    error, cause = throw.get("Error"), throw.get("Cause")
    valid = True
    if not isinstance(error, str) or not error:
        problems.append(Problem(f"{throw_path}/Error", f"must be a non-empty string, not {_kind(error)}"))
        valid = False
    if cause is not None and not isinstance(cause, str):
        problems.append(Problem(f"{throw_path}/Cause", f"must be a string, not {_kind(cause)}"))
        valid = False
    return MockedResponse(error=error, cause=cause) if valid else None


def _object(value: Any, path: str, problems: list[Problem]) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    problems.append(Problem(path, f"must be a JSON object, not {_kind(value)}"))
    return {}


def _unknown_fields(
    value: dict[str, Any], known: tuple[str, ...], path: str, problems: list[Problem]
) -> None:
    for name in value:
        if name not in known:
            expected = " or ".join(f"'{k}'" for k in known)
            problems.append(Problem(f"{path}/{_escape(name)}", f"unknown field (expected {expected})"))


def _escape(name: str) -> str:
    """A JSON pointer reference token (RFC 6901)."""
    return name.replace("~", "~0").replace("/", "~1")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string" if value else "an empty string"
    if isinstance(value, list):
        return "an array"
    return "an object"
