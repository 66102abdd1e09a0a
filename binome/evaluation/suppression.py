"""Small-number suppression of counts, so that no group of fewer than k people can be read.

A table of counts is published with its row totals, column totals and grand total. Primary
suppression hides every count (inner cell or total) from 1 to k-1. Secondary suppression then
hides more cells until no hidden cell can be recomputed from what is shown: first so that no row
or column holds a single hidden cell (the simple subtraction), then by an audit that bounds each
hidden cell with a linear programme over the table's equations and hides another cell beside
any hidden cell whose bounds meet. Pure functions, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

DEFAULT_K = 5

Cell = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """A table of counts and its totals, None where a count is suppressed."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None

    @property
    def suppressed(self) -> int:
        hidden = sum(v is None for row in self.cells for v in row)
        hidden += sum(v is None for v in self.row_totals)
        hidden += sum(v is None for v in self.column_totals)
        return hidden + (self.total is None)


def _extended(cells: Sequence[Sequence[int]]) -> np.ndarray:
    """Return the table with its row totals as the last column, column totals as the last row."""
    inner = np.asarray(cells, dtype=np.int64).reshape(len(cells), -1)
    rows, cols = inner.shape
    grid = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    grid[:rows, :cols] = inner
    grid[:rows, cols] = inner.sum(axis=1)
    grid[rows, :cols] = inner.sum(axis=0)
    grid[rows, cols] = inner.sum()
    return grid


def _lines(shape: tuple[int, int]) -> list[list[Cell]]:
    """Every equation of the table: a line's inner entries add up to its last entry."""
    rows, cols = shape
    lines = [[(i, j) for j in range(cols)] for i in range(rows)]
    lines += [[(i, j) for i in range(rows)] for j in range(cols)]
    return lines


def _pick_partner(grid: np.ndarray, hidden: np.ndarray, line: list[Cell]) -> Cell | None:
    """Return the cell of the line to hide next: the smallest shown inner count, else its total."""
    shown = [cell for cell in line if not hidden[cell]]
    if not shown:
        return None
    inner = [cell for cell in shown if cell != line[-1]]
    candidates = [c for c in inner if grid[c] > 0] or inner or shown
    return min(candidates, key=lambda cell: (grid[cell], cell))


def _determined(grid: np.ndarray, hidden: np.ndarray) -> list[Cell]:
    """Return the hidden cells whose value the shown cells and the table's equations fix."""
    positions: list[Cell] = [(int(p[0]), int(p[1])) for p in np.argwhere(hidden)]
    if not positions:
        return []
    index = {cell: n for n, cell in enumerate(positions)}
    equations, constants = [], []
    for line in _lines(grid.shape):
        row = np.zeros(len(positions))
        constant = 0.0
        for cell in line[:-1]:
            if hidden[cell]:
                row[index[cell]] += 1
            else:
                constant -= grid[cell]
        if hidden[line[-1]]:
            row[index[line[-1]]] -= 1
        else:
            constant += grid[line[-1]]
        if row.any():
            equations.append(row)
            constants.append(constant)
    a_eq, b_eq = np.array(equations), np.array(constants)
    fixed = []
    for n, cell in enumerate(positions):
        objective = np.zeros(len(positions))
        objective[n] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if low.status == 0 and high.status == 0 and -high.fun - low.fun < 0.5:
            fixed.append(cell)
    return fixed


def suppress(cells: Sequence[Sequence[int]], k: int = DEFAULT_K) -> SuppressedTable:
    """Return the table with its totals, every count under k hidden and enough others hidden that
    none of them can be recomputed."""
    grid = _extended(cells)
    rows, cols = grid.shape
    hidden = (grid > 0) & (grid < k)
    lines = _lines(grid.shape)
    for _ in range(rows * cols + 1):
        changed = False
        for line in lines:
            if sum(bool(hidden[c]) for c in line) == 1:
                partner = _pick_partner(grid, hidden, line)
                if partner is not None:
                    hidden[partner] = True
                    changed = True
        if changed:
            continue
        for cell in _determined(grid, hidden):
            i, j = cell
            line = (
                [(i, jj) for jj in range(cols)] if j < cols - 1 else [(ii, j) for ii in range(rows)]
            )
            partner = _pick_partner(grid, hidden, line)
            if partner is None:
                other = [(ii, j) for ii in range(rows)]
                partner = _pick_partner(grid, hidden, other)
            if partner is not None:
                hidden[partner] = True
                changed = True
                break
        if not changed:
            break

    def value(i: int, j: int) -> int | None:
        return None if hidden[i, j] else int(grid[i, j])

    r, c = rows - 1, cols - 1
    return SuppressedTable(
        cells=[[value(i, j) for j in range(c)] for i in range(r)],
        row_totals=[value(i, c) for i in range(r)],
        column_totals=[value(r, j) for j in range(c)],
        total=value(r, c),
    )


def suppress_counts(counts: Sequence[int], k: int = DEFAULT_K) -> SuppressedTable:
    """Suppress a single row of counts (a breakdown of one total)."""
    return suppress([list(counts)], k)


def small(n: int, k: int = DEFAULT_K) -> bool:
    """Is a group of n people too small to publish a figure about?"""
    return 0 < n < k
