"""Agreement figures against published worked examples, hand-computed tables and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_app.agreement import (
    ConfusionTable,
    agreement_figures,
    table_from_pairs,
    weighted_kappa,
)

# Cohen's kappa article on Wikipedia: 50 grant proposals read by two readers,
# yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4. On two grades,
# linear and quadratic weights are both the identity, so weighted kappa equals Cohen's kappa.
# The standard error 0.127 and interval 0.151 to 0.649 are GraphPad QuickCalcs' for the table.
GRANTS = ConfusionTable(((20, 5), (10, 15)))


def test_two_grade_table_gives_the_published_kappa_and_interval():
    for weighting in ("linear", "quadratic"):
        estimate = weighted_kappa(GRANTS, weighting)
        assert estimate.kappa == pytest.approx(0.4)
        assert estimate.standard_error == pytest.approx(0.12700, abs=5e-5)
        assert estimate.low == pytest.approx(0.151, abs=5e-4)
        assert estimate.high == pytest.approx(0.649, abs=5e-4)


# Hand-computed 3-grade table (n = 30):
#        M0  M1  M2 | rows
#   A0   10   2   0 | 12
#   A1    3   8   2 | 13
#   A2    0   1   4 |  5
#   cols 13  11   6
# exact = 22/30; within one = 30/30 (no two-step disagreements).
# Linear weights 1, 1/2, 0: p_o = (22 + 0.5 * 8) / 30 = 26/30;
#   p_e = sum w_ij r_i c_j / 900 = (12*13 + 13*11 + 5*6 + 0.5*(12*11 + 13*13 + 13*6 + 5*11)) / 900
#       = (156 + 143 + 30 + 0.5 * 434) / 900 = 546/900; kappa = (780 - 546) / (900 - 546) = 234/354.
# Quadratic weights 1, 3/4, 0: p_o = (22 + 0.75 * 8) / 30 = 28/30;
#   p_e = (329 + 0.75 * 434) / 900 = 654.5/900; kappa = (840 - 654.5) / (900 - 654.5) = 185.5/245.5.
HAND = ConfusionTable(((10, 2, 0), (3, 8, 2), (0, 1, 4)))


def test_three_grade_table_matches_the_hand_computation():
    figures = agreement_figures(HAND)
    assert figures.pairs == 30
    assert figures.exact_percent == pytest.approx(100 * 22 / 30)
    assert figures.within_one_percent == pytest.approx(100.0)
    assert figures.linear.kappa == pytest.approx(234 / 354)
    assert figures.quadratic.kappa == pytest.approx(185.5 / 245.5)
    # (3 + 1 moderator-lower... ) signed: columns minus rows: +2 +2 -3 -1 = 0 over 30 pairs
    assert figures.mean_signed_difference == pytest.approx((2 + 2 - 3 - 1) / 30)
    assert figures.linear.low < figures.linear.kappa < figures.linear.high


def _pairs_of(table: ConfusionTable) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, row in enumerate(table.counts)
        for j, count in enumerate(row)
        for _ in range(count)
    ]


def _quadratic_by_moments(pairs: list[tuple[int, int]]) -> float:
    """Quadratic kappa = 2 s_xy / (s_x^2 + s_y^2 + (mean x - mean y)^2), population moments
    (Fleiss and Cohen 1973, the equivalence of weighted kappa and the intraclass correlation)."""
    n = len(pairs)
    mx = sum(x for x, _ in pairs) / n
    my = sum(y for _, y in pairs) / n
    sxy = sum((x - mx) * (y - my) for x, y in pairs) / n
    sx = sum((x - mx) ** 2 for x, _ in pairs) / n
    sy = sum((y - my) ** 2 for _, y in pairs) / n
    return 2 * sxy / (sx + sy + (mx - my) ** 2)


def _linear_by_distances(pairs: list[tuple[int, int]]) -> float:
    """Linear kappa = 1 - mean |x_i - y_i| / mean over all i, j of |x_i - y_j|."""
    n = len(pairs)
    observed = sum(abs(x - y) for x, y in pairs) / n
    chance = sum(abs(x - y) for x, _ in pairs for _, y in pairs) / (n * n)
    return 1 - observed / chance


def test_hand_table_agrees_with_the_moment_and_distance_forms():
    pairs = _pairs_of(HAND)
    assert weighted_kappa(HAND, "quadratic").kappa == pytest.approx(_quadratic_by_moments(pairs))
    assert weighted_kappa(HAND, "linear").kappa == pytest.approx(_linear_by_distances(pairs))


def test_no_pairs_gives_no_figures():
    figures = agreement_figures(ConfusionTable.empty(4))
    assert figures.pairs == 0
    assert figures.exact_percent is None
    assert figures.linear.kappa is None


def test_kappa_is_undefined_when_both_raters_used_one_grade_only():
    estimate = weighted_kappa(ConfusionTable(((0, 0), (0, 7))), "linear")
    assert estimate.kappa is None and estimate.low is None


grades = st.integers(min_value=0, max_value=3)
pair_lists = st.lists(st.tuples(grades, grades), min_size=2, max_size=60)
weightings = st.sampled_from(["linear", "quadratic"])


def _defined(pairs) -> bool:
    return len({x for x, _ in pairs} | {y for _, y in pairs}) > 1


@given(st.lists(grades, min_size=2, max_size=40), weightings)
def test_kappa_is_one_for_perfect_agreement(values, weighting):
    if len(set(values)) < 2:
        return
    table = table_from_pairs([(v, v) for v in values], 4)
    assert weighted_kappa(table, weighting).kappa == pytest.approx(1.0)
    assert agreement_figures(table).exact_percent == 100.0


@given(pair_lists, weightings)
def test_kappa_is_symmetric_in_the_two_raters(pairs, weighting):
    forward = weighted_kappa(table_from_pairs(pairs, 4), weighting)
    backward = weighted_kappa(table_from_pairs([(y, x) for x, y in pairs], 4), weighting)
    if forward.kappa is None:
        assert backward.kappa is None
    else:
        assert forward.kappa == pytest.approx(backward.kappa, abs=1e-9)
        assert forward.standard_error == pytest.approx(backward.standard_error, abs=1e-9)


@given(pair_lists, weightings)
def test_kappa_is_bounded_and_the_interval_holds_it(pairs, weighting):
    estimate = weighted_kappa(table_from_pairs(pairs, 4), weighting)
    if estimate.kappa is None:
        return
    assert -1 - 1e-9 <= estimate.kappa <= 1 + 1e-9
    assert estimate.low <= estimate.kappa <= estimate.high


@given(pair_lists, weightings)
def test_kappa_is_unchanged_by_order_preserving_relabelling(pairs, weighting):
    """Reversing the scale, or adding unused grades at either end, changes no figure."""
    base = weighted_kappa(table_from_pairs(pairs, 4), weighting)
    reversed_scale = weighted_kappa(
        table_from_pairs([(3 - x, 3 - y) for x, y in pairs], 4), weighting
    )
    padded = weighted_kappa(table_from_pairs([(x + 1, y + 1) for x, y in pairs], 7), weighting)
    for other in (reversed_scale, padded):
        if base.kappa is None:
            assert other.kappa is None
        else:
            assert other.kappa == pytest.approx(base.kappa, abs=1e-9)
            assert other.standard_error == pytest.approx(base.standard_error, abs=1e-9)


@given(pair_lists)
def test_weighted_kappas_match_their_moment_and_distance_forms(pairs):
    if not _defined(pairs):
        return
    table = table_from_pairs(pairs, 4)
    quadratic = weighted_kappa(table, "quadratic").kappa
    linear = weighted_kappa(table, "linear").kappa
    if quadratic is not None:
        assert quadratic == pytest.approx(_quadratic_by_moments(pairs), abs=1e-9)
    if linear is not None:
        assert linear == pytest.approx(_linear_by_distances(pairs), abs=1e-9)


@given(pair_lists, st.integers(min_value=2, max_value=9))
def test_more_of_the_same_pairs_narrow_the_interval_by_the_square_root(pairs, times):
    table = table_from_pairs(pairs, 4)
    bigger = table_from_pairs(pairs * times, 4)
    one, many = weighted_kappa(table, "linear"), weighted_kappa(bigger, "linear")
    if one.kappa is None:
        return
    assert many.kappa == pytest.approx(one.kappa, abs=1e-9)
    assert many.standard_error == pytest.approx(one.standard_error / math.sqrt(times), abs=1e-9)


@given(pair_lists)
def test_within_one_is_never_below_exact(pairs):
    figures = agreement_figures(table_from_pairs(pairs, 4))
    assert figures.within_one_percent >= figures.exact_percent
