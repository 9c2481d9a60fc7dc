"""What ``sfn deploy`` prints: findings, the plan, definition diffs and what was applied.

On a terminal the plan is a rich table and diffs are coloured; otherwise (a pipe, CI logs) every line is
plain text, one fact per line, so it greps and diffs well.
"""

from __future__ import annotations

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from orchestrator.deploy.apply import Applied
from orchestrator.deploy.plan import MachinePlan
from orchestrator.deploy.validation import Finding

MARKS = {"create": "+", "update": "~", "unchanged": "="}
STYLES = {"create": "green", "update": "yellow", "unchanged": "dim"}


def _changes(plan: MachinePlan) -> str:
    if plan.problem is not None:
        return plan.problem
    if plan.action == "create":
        return f"{plan.desired.type}, {len(plan.desired.tags)} tag(s)"
    parts = [c for c in plan.changes if c != "tags"]
    if plan.tags_to_set:
        parts.append("tags set: " + ", ".join(sorted(plan.tags_to_set)))
    if plan.tags_to_remove:
        parts.append("tags removed: " + ", ".join(plan.tags_to_remove))
    return ", ".join(parts)


class Reporter:
    """Prints to ``out`` (the plan, diffs, results) and ``err`` (findings, failures)."""

    def __init__(self, out: Console | None = None, err: Console | None = None) -> None:
        self.out = out or Console(highlight=False)
        self.err = err or Console(stderr=True, highlight=False)

    def plain(self, text: str, console: Console | None = None) -> None:
        """Print ``text`` as it is (no markup, no wrapping)."""
        (console or self.out).print(text, markup=False, highlight=False, soft_wrap=True)

    def findings(self, findings: list[Finding]) -> None:
        for finding in findings:
            style = "red" if finding.severity == "ERROR" else "yellow"
            if self.err.is_terminal:
                self.err.print(finding.render(), style=style, markup=False, highlight=False, soft_wrap=True)
            else:
                self.plain(finding.render(), self.err)

    def failure(self, message: str) -> None:
        if self.err.is_terminal:
            self.err.print(message, style="bold red", markup=False, highlight=False, soft_wrap=True)
        else:
            self.plain(message, self.err)

    def plan(self, plans: list[MachinePlan], *, diffs: bool) -> None:
        if self.out.is_terminal:
            table = Table(title="sfn deploy plan")
            for column in ("", "machine", "action", "file", "changes"):
                table.add_column(column)
            for plan in plans:
                style = "red" if plan.problem else STYLES[plan.action]
                table.add_row(
                    MARKS[plan.action],
                    plan.desired.name,
                    plan.action,
                    plan.desired.file,
                    _changes(plan),
                    style=style,
                )
            self.out.print(table)
        else:
            for plan in plans:
                details = _changes(plan)
                line = f"{MARKS[plan.action]} {plan.action} {plan.desired.name} ({plan.desired.file})"
                self.plain(f"{line}: {details}" if details else line)
        if diffs:
            for plan in plans:
                self.diff(plan)
        counts = {a: sum(1 for p in plans if p.action == a) for a in MARKS}
        self.plain(
            f"{counts['create']} to create, {counts['update']} to update, {counts['unchanged']} unchanged"
        )

    def diff(self, plan: MachinePlan) -> None:
        text = plan.diff()
        if not text:
            return
        if self.out.is_terminal:
            self.out.print(Syntax(text, "diff", theme="ansi_dark", background_color="default"))
        else:
            self.plain(text.rstrip("\n"))

    def applied(self, applied: Applied) -> None:
        version = f" version {applied.version_arn}" if applied.version_arn else " (tags only)"
        verb = "created" if applied.action == "create" else "updated"
        self.plain(f"{verb} {applied.name}:{version}")
