"""Small-number suppression: no count under k is shown, and no hidden count can be recomputed
from what is shown (bounded by a linear programme over the table's equations)."""

import numpy as np
import pytest
from scipy.optimize import linprog

from binome.evaluation.suppression import suppress


def _bounds(table, original):
    """The least and greatest value each hidden entry can take given what is shown."""
    rows, cols = original.shape
    grid = [list(r) + [t] for r, t in zip(table.cells, table.row_totals, strict=True)]
    grid.append(list(table.column_totals) + [table.total])
    hidden = [(i, j) for i in range(rows + 1) for j in range(cols + 1) if grid[i][j] is None]
    index = {c: n for n, c in enumerate(hidden)}
    eqs, rhs = [], []
    lines = [[(i, j) for j in range(cols + 1)] for i in range(rows + 1)]
    lines += [[(i, j) for i in range(rows + 1)] for j in range(cols + 1)]
    for line in lines:
        row, const = np.zeros(len(hidden)), 0.0
        for n, cell in enumerate(line):
            sign = -1 if n == len(line) - 1 else 1
            if cell in index:
                row[index[cell]] += sign
            else:
                const -= sign * grid[cell[0]][cell[1]]
        if row.any():
            eqs.append(row)
            rhs.append(const)
    out = {}
    for cell, n in index.items():
        c = np.zeros(len(hidden))
        c[n] = 1
        lo = linprog(c, A_eq=eqs, b_eq=rhs, bounds=(0, None), method="highs").fun
        hi = -linprog(-c, A_eq=eqs, b_eq=rhs, bounds=(0, None), method="highs").fun
        out[cell] = (lo, hi)
    return out


def _check(original, k):
    table = suppress(original.tolist(), k)
    rows, cols = original.shape
    full = np.zeros((rows + 1, cols + 1), dtype=int)
    full[:rows, :cols] = original
    full[:rows, cols] = original.sum(axis=1)
    full[rows, :cols] = original.sum(axis=0)
    full[rows, cols] = original.sum()
    shown = [list(r) + [t] for r, t in zip(table.cells, table.row_totals, strict=True)]
    shown.append(list(table.column_totals) + [table.total])
    for i in range(rows + 1):
        for j in range(cols + 1):
            value = shown[i][j]
            if value is not None:
                assert value == full[i, j]
                assert not 0 < value < k, "a small count is shown"
    for (i, j), (lo, hi) in _bounds(table, original).items():
        assert hi - lo >= 0.5, f"hidden cell {(i, j)} = {full[i, j]} is recomputable"


@pytest.mark.parametrize("seed", range(40))
def test_no_suppressed_cell_can_be_recomputed(seed):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 5)), int(rng.integers(2, 6)))
    original = rng.choice([0, 1, 2, 3, 4, 6, 9, 15, 30], size=shape)
    _check(original, 5)


def test_one_small_cell_in_a_row_hides_a_second():
    table = suppress([[20, 3, 12]], 5)
    assert table.cells[0][1] is None
    assert sum(v is None for v in table.cells[0]) >= 2 or table.total is None


def test_the_threshold_is_the_organisations():
    assert suppress([[7, 8]], 10).cells == [[None, None]]
    assert suppress([[7, 8]], 5).cells == [[7, 8]]


def test_nothing_hidden_when_every_count_is_large_enough():
    table = suppress([[10, 20], [30, 0]], 5)
    assert table.suppressed == 0
    assert table.total == 60
