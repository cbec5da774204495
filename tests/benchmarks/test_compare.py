"""benchmarks/compare.py: the table row it writes for two commits' seconds."""

from __future__ import annotations

from benchmarks.compare import Row


def test_a_row_gives_both_medians_their_ratio_and_the_range_of_round_ratios() -> None:
    row = Row("f", base=[2.0, 1.8, 2.2], head=[1.9, 1.8, 2.4])
    # medians: base 2.0, head 1.9 -> 1.9 / 2.0 = 0.95; rounds: 1.9/2.0 = 0.95,
    # 1.8/1.8 = 1.00, 2.4/2.2 = 1.0909 -> shown 0.95-1.09
    assert row.line() == ("| f. diff HEAD~1 HEAD, after a lint | 2.000 s | 1.900 s | 0.950 "
                          "| 0.95-1.09 | 3 |")
