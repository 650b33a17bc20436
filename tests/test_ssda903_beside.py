"""Our 903 figure beside DfE's: the same after DfE's rounding, or flagged."""

from __future__ import annotations

from metrics.ssda903.beside import BesideDfE, published_decimals
from reference.catalogue import catalogue


def test_dfe_decimals_are_read_from_its_figure():
    assert [published_decimals(v) for v in (63.0, 14.2, 7.25, 1 / 3)] == [0, 1, 2, 2]


def test_a_percentage_within_dfes_whole_number_rounding_is_not_flagged():
    beside = BesideDfE(2025, 63.235, 43, 68, 63.0)
    assert not beside.differs
    assert beside.sentence(catalogue().get("cla_foster_pct")) == "From your 903: 63.2% (43 of 68); DfE 2024-25: 63%"


def test_a_half_rounds_up_as_dfe_rounds_and_a_real_difference_is_flagged():
    assert not BesideDfE(2025, 62.5, 5, 8, 63.0).differs
    flagged = BesideDfE(2025, 61.4, 43, 70, 63.0)
    assert flagged.differs
    assert "differ by more than DfE's rounding" in flagged.sentence(catalogue().get("cla_foster_pct"))


def test_a_count_must_match_exactly_and_no_dfe_figure_is_never_a_difference():
    assert BesideDfE(2025, 101.0, None, None, 100.0).differs
    assert not BesideDfE(2025, 100.0, None, None, 100.0).differs
    assert not BesideDfE(2025, 100.0, None, None, None, "c").differs
    sentence = BesideDfE(2025, 100.0, None, None, 100.0).sentence(catalogue().get("cla_count"))
    assert sentence == "From your 903: 100; DfE 2024-25: 100"
