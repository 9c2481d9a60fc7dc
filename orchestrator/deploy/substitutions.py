"""``${name}`` placeholders, substituted exactly as CloudFormation's ``DefinitionSubstitutions``.

CloudFormation's Step Functions resource provider (``DefinitionProcessor.transformDefinition``) does a
plain text replacement with Apache Commons' ``StringUtils.replaceEachRepeatedly``: every ``"${" + key +
"}"`` is replaced by the value, so:

- **positions**: anywhere in the text (string values, keys, or bare JSON such as ``"MaxAttempts": ${N}``
  in a file, which CloudFormation substitutes before parsing a ``DefinitionS3Location`` file);
- **no escaping**: values go in as they are (a ``"`` in a value breaks the JSON around it), and there is
  no ``${!Literal}`` form (that is ``Fn::Sub``'s, not ``DefinitionSubstitutions``');
- **repeatedly**: a value that contains ``${other}`` is substituted again; a cycle is an error
  (Commons aborts with ``IllegalStateException``);
- **unknown names stay**: a ``${name}`` with no substitution is left in the text as it is.
  :func:`unresolved` finds them so ``sfn deploy`` can warn.

Values may be strings, integers or booleans (the resource schema's ``String, Integer, Boolean``); an
integer or boolean is written as Java writes it (``3``, ``true``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from orchestrator.deploy.errors import ConfigError

PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


def as_text(name: str, value: object) -> str:
    """A substitution value as the text CloudFormation inserts; ``ConfigError`` for other types."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    raise ConfigError(
        f"substitution {name!r} must be a string, an integer or a boolean, not {type(value).__name__}"
    )


def _replace_each(text: str, searches: list[str], replacements: list[str]) -> str:
    """One left-to-right pass of Commons' ``replaceEach``: at each point the earliest match wins (the
    first search string on a tie), and replaced text is not rescanned in the same pass."""
    out: list[str] = []
    start = 0
    while True:
        best, best_index = -1, -1
        for index, search in enumerate(searches):
            found = text.find(search, start)
            if found != -1 and (best == -1 or found < best):
                best, best_index = found, index
        if best == -1:
            out.append(text[start:])
            return "".join(out)
        out.append(text[start:best])
        out.append(replacements[best_index])
        start = best + len(searches[best_index])


def substitute(text: str, substitutions: Mapping[str, Any]) -> str:
    """``text`` with every ``${key}`` replaced, repeatedly, until nothing changes."""
    if not substitutions:
        return text
    searches = ["${" + key + "}" for key in substitutions]
    replacements = [as_text(key, value) for key, value in substitutions.items()]
    for _ in range(len(searches) + 1):  # deeper nesting than the number of keys needs a cycle
        replaced = _replace_each(text, searches, replacements)
        if replaced == text:
            return text
        text = replaced
    cycle = sorted(
        key
        for key, value in zip(substitutions, replacements, strict=True)
        if any(m.group(1) in substitutions for m in PLACEHOLDER.finditer(value))
    )
    raise ConfigError(f"substitutions refer to each other in a cycle: {', '.join(cycle)}")


def unresolved(document: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """``(location, "${name}")`` of every placeholder left in a parsed definition (keys and strings)."""
    if isinstance(document, dict):
        for key, value in document.items():
            here = f"{path}/{key}"
            for match in PLACEHOLDER.finditer(str(key)):
                yield here, match.group(0)
            yield from unresolved(value, here)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from unresolved(value, f"{path}[{index}]")
    elif isinstance(document, str):
        for match in PLACEHOLDER.finditer(document):
            yield path or "/", match.group(0)
