"""The two ways a JSONPath can fail: it is not a path at all, or it finds nothing in the data."""

from __future__ import annotations


class InvalidPathError(ValueError):
    """The text is not a JSONPath this engine (and AWS's Jayway JsonPath) accepts."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"Invalid JSONPath '{path}': {reason}")
        self.path = path
        self.reason = reason


class PathNotFound(LookupError):
    """A path resolved to nothing in the data.

    ``detail`` is Jayway's message as AWS shows it (``No results for path: $['x']``, ``Missing property in
    path $['a']``); ``cause`` is the sentence AWS writes for InputPath/OutputPath/ItemsPath failures.
    """

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(detail)
        self.path = path
        self.detail = detail

    @property
    def cause(self) -> str:
        """``Invalid path '$.x' : No results for path: $['x']`` (AWS's States.Runtime cause, unprefixed)."""
        return f"Invalid path '{self.path}' : {self.detail}"
