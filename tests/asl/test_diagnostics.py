"""AWS's ``InvalidDefinition`` message built from diagnostics."""

from __future__ import annotations

from orchestrator.asl.diagnostics import Diagnostic, format_diagnostics


def test_one_diagnostic_is_quoted_with_its_location() -> None:
    diagnostic = Diagnostic("SCHEMA_VALIDATION_FAILED", "These fields are required: [States]", "/")

    assert format_diagnostics([diagnostic]) == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"
    )


def test_several_diagnostics_are_joined_inside_one_pair_of_quotes() -> None:
    found = [
        Diagnostic("MISSING_TRANSITION_TARGET", "Missing 'Next' target: pass3", "/States/pass1/Next"),
        Diagnostic("MISSING_TRANSITION_TARGET", 'State "pass2" is not reachable.', "/States/pass2"),
    ]

    assert format_diagnostics(found) == (
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at "
        '/States/pass1/Next, MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2\''
    )


def test_a_message_that_already_ends_with_its_location_is_not_repeated() -> None:
    location = '[Source: (String)"x"; line: 1, column: 2]'
    diagnostic = Diagnostic("INVALID_JSON_DESCRIPTION", f"Unrecognized token 'x'\n at {location}", location)

    assert diagnostic.render() == f"INVALID_JSON_DESCRIPTION: Unrecognized token 'x'\n at {location}"


def test_warnings_do_not_count_when_there_are_errors() -> None:
    found = [
        Diagnostic("NO_DOLLAR", "looks like a path", "/States/A/Parameters", severity="WARNING"),
        Diagnostic("SCHEMA_VALIDATION_FAILED", "These fields are required: [Type]", "/States/A"),
    ]

    assert format_diagnostics(found) == (
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [Type] at /States/A'"
    )


def test_a_standalone_diagnostic_is_the_whole_message() -> None:
    text = "Error=ValueError Args=['Label cannot be empty'] in definition '{}'."
    found = [
        Diagnostic("SCHEMA_VALIDATION_FAILED", "These fields are required: [Type]", "/States/A"),
        Diagnostic("SCHEMA_VALIDATION_FAILED", text, "/States/M/Label", standalone=True),
    ]

    assert format_diagnostics(found) == text
