"""Result rows and the table bench/distributed_vs_celery.py prints (plain or Markdown)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One figure of ours against the baseline's (``baseline`` None where there is no baseline)."""

    measure: str
    unit: str
    ours: float
    baseline: float | None = None
    goal: str = ""

    def ratio(self) -> str:
        if self.baseline is None or self.baseline == 0:
            return "-"
        return f"{self.ours / self.baseline:.2f}x"

    def cells(self) -> list[str]:
        baseline = "-" if self.baseline is None else _number(self.baseline)
        return [self.measure, self.unit, _number(self.ours), baseline, self.ratio(), self.goal or "-"]


COLUMNS = ("measure", "unit", "ours", "celery", "ours/celery", "goal")


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def print_table(rows: list[Row], markdown: bool) -> None:
    table = [row.cells() for row in rows]
    if markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "|".join(["---", "---"] + ["---:"] * (len(COLUMNS) - 2)) + "|")
        for cells in table:
            print("| " + " | ".join(cells) + " |")
        return
    widths = [max(len(c), *(len(r[i]) for r in table)) for i, c in enumerate(COLUMNS)]
    for cells in [list(COLUMNS), *table]:
        print(
            "  ".join(
                c.ljust(w) if i < 2 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
