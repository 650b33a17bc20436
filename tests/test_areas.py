"""Areas resolve by ONS code, DfE number or name, and every council has its statistical neighbours."""

from __future__ import annotations

import pytest

from reference.areas import ENGLAND_CODE, areas


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("E06000049", "E06000049"),
        ("e06000049", "E06000049"),
        ("895", "E06000049"),
        (895, "E06000049"),
        (895.0, "E06000049"),
        ("Cheshire East", "E06000049"),
        ("  CHESHIRE EAST ", "E06000049"),
        ("England", ENGLAND_CODE),
        ("North West", "E12000002"),
        ("Bournemouth, Christchurch and Poole", "E06000058"),
        ("Northmoor (fictional sample council)", "E06999901"),
    ],
)
def test_areas_resolve_by_any_name(text, code):
    assert areas().resolve(text).code == code


@pytest.mark.parametrize("text", ["", None, "Atlantis", "E06000000", "1234"])
def test_unknown_areas_resolve_to_nothing(text):
    assert areas().resolve(text) is None


def test_every_current_council_is_listed_with_a_region():
    councils = areas().local_authorities(include_fictional=False)
    assert 150 <= len(councils) <= 156
    regions = {r.code for r in areas().regions()}
    assert len(regions) == 9
    assert all(c.region_code in regions for c in councils)
    assert all(len(c.code) == 9 and len(c.dfe_number) == 3 for c in councils)


def test_london_boroughs_compare_with_london():
    assert areas().region_of("E09000007").name == "London"  # Camden


def test_cheshire_east_has_its_ten_may_2025_neighbours():
    names = [a.name for a in areas().neighbours("E06000049")]
    assert len(names) == 10
    assert names[0] == "Gloucestershire"
    assert "Warrington" in names and "Cheshire West and Chester" in names


def test_the_sample_council_is_marked_fictional_and_has_neighbours():
    sample = areas().get("E06999901")
    assert sample.fictional and "fictional" in sample.name
    assert len(areas().neighbours("E06999901")) == 10
