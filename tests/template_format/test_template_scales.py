"""The built-in scales are the ones the format specification lists."""

from __future__ import annotations

import pytest

from qa_app.template_format.scales import BUILT_IN_SCALES


def test_built_in_scale_keys():
    assert list(BUILT_IN_SCALES) == ["ofsted", "yes_partly_no", "yes_no", "scaling_0_10"]
    assert all(scale.key == key for key, scale in BUILT_IN_SCALES.items())


def test_ofsted_scale_options_scores_and_rationale():
    options = BUILT_IN_SCALES["ofsted"].options
    assert [(o.value, o.label, o.needs_rationale) for o in options] == [
        ("outstanding", "Outstanding", False),
        ("good", "Good", False),
        ("requires_improvement", "Requires improvement to be good", True),
        ("inadequate", "Inadequate", True),
    ]
    assert [o.score for o in options] == pytest.approx([1, 2 / 3, 1 / 3, 0])


def test_yes_partly_no_and_yes_no_scales():
    assert [
        (o.value, o.label, o.score, o.needs_rationale)
        for o in BUILT_IN_SCALES["yes_partly_no"].options
    ] == [
        ("yes", "Yes", 1.0, False),
        ("partly", "Partly", 0.5, True),
        ("no", "No", 0.0, True),
    ]
    assert [(o.value, o.score, o.needs_rationale) for o in BUILT_IN_SCALES["yes_no"].options] == [
        ("yes", 1.0, False),
        ("no", 0.0, True),
    ]


def test_scaling_scale_runs_from_ten_down_to_zero():
    options = BUILT_IN_SCALES["scaling_0_10"].options
    assert [o.value for o in options] == [str(n) for n in range(10, -1, -1)]
    assert [o.score for o in options] == [n / 10 for n in range(10, -1, -1)]
    assert [o.value for o in options if o.needs_rationale] == ["3", "2", "1", "0"]
    assert options[0].label == "10 - safe enough / good"
    assert options[-1].label.startswith("0 - ")


def test_built_in_scales_are_ordered_best_first():
    for scale in BUILT_IN_SCALES.values():
        scores = [o.score for o in scale.options]
        assert scores == sorted(scores, reverse=True)
