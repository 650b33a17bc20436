"""The Data quality page in the real app (AppTest), against databases filled by the real loaders: DfE's
shipped tables, a council's return written by the test, and the fictional sample council's files."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import connect
from loaders.sample import load_sample_if_empty
from tests.app_database import copy_database
from tests.test_app_pages import APP, TIMEOUT, as_read, environment, texts
from tests.test_data_quality import CHESHIRE_EAST, RETURN_NAME, Loaded, published_figures, with_council_return

PAGE = "app_pages/data_quality.py"
SAMPLE = "E06999901"


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> str:
    return published_figures(tmp_path_factory.mktemp("quality_page") / "published.db")


@pytest.fixture(scope="module")
def loaded(published_url, tmp_path_factory) -> Loaded:
    return with_council_return(published_url, tmp_path_factory.mktemp("quality_page_return"))


def open_quality_page(url: str, home: str, monkeypatch) -> AppTest:
    for key, value in environment(url, DASHBOARD_HOME_AREA=home).items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def batch_links(at: AppTest) -> list[tuple[str, str, str]]:
    """(label, page, query) of every link to another page."""
    return [(as_read(link.proto.label), link.proto.page, link.proto.query_string) for link in at.get("page_link")]


def test_the_page_lists_each_kind_with_its_count_and_links_each_finding_to_its_batch(loaded, monkeypatch):
    at = open_quality_page(loaded.url, CHESHIRE_EAST, monkeypatch)
    said = texts(at)
    assert "Data quality" in said
    assert ("**Cheshire East**: **6** findings: 2 of what is missing and 4 of what looks wrong · 1 of 6 checks "
            "cannot be made on the figures loaded (see below).") in said  # no 903 loaded: said, not passed
    for heading in ("No figure for the latest period · 1", "A gap in a monthly or quarterly series · 1",
                    "A jump from one month to the next · 1",
                    "A percentage that does not match its numerator and denominator · 1",
                    "Our year-end figure differs from DfE's · 2"):
        assert heading in said
    assert "No gaps found" not in said
    assert [line for line in said.splitlines() if line.startswith("Cannot be checked")] == [
        "Cannot be checked: no SSDA903 return is loaded for Cheshire East; the Imports page takes one."]
    assert ("**Children in care** · November 2024 · Up from 500 in October 2024 to 800 in November 2024: 60% higher "
            "than the month before.") in said
    summary = at.dataframe[0].value
    assert summary["Found"].tolist() == ["1", "1", "1", "1", "2", "cannot be checked"]
    links = batch_links(at)
    to_return = [link for link in links if RETURN_NAME in link[0]]
    assert len(to_return) == 6  # one per finding, each naming the file, who loaded it and its batch
    assert all(f"Batch {loaded.batch_id} · {RETURN_NAME} · loaded " in label and label.endswith(" by jsmith")
               for label, _page, _query in to_return)
    assert all(query == f"batch={loaded.batch_id}" and page.endswith("imports") for _label, page, query in to_return)
    assert any("la_cla_placement_stability.csv" in label for label, _page, _query in links)
    assert [button.proto.label for button in at.get("download_button")] == ["Download every finding (CSV)"]


def test_a_council_on_dfes_figures_only_is_told_what_cannot_be_checked(published_url, monkeypatch):
    at = open_quality_page(published_url, CHESHIRE_EAST, monkeypatch)
    said = texts(at)
    assert "Cannot be checked: Cheshire East has no monthly or quarterly figures of its own loaded." in said
    assert "Cannot be checked: Cheshire East has no year-end figures of its own loaded" in said
    assert "No gaps found" not in said  # never an all-clear for a check that was not made
    assert "No measure is missing its latest figure." in said
    assert "5 of 6 checks cannot be made on the figures loaded" in said
    assert "Cannot be checked: no SSDA903 return is loaded for Cheshire East; the Imports page takes one." in said
    assert at.dataframe[0].value["Found"].tolist() == ["none"] + ["cannot be checked"] * 5


def test_the_sample_council_has_no_gaps_and_is_told_dfe_publishes_nothing_for_it(published_url, tmp_path, monkeypatch):
    url = copy_database(published_url, tmp_path / "sample.db")
    assert all(report.status == "loaded" for report in load_sample_if_empty(connect(url)))
    at = open_quality_page(url, SAMPLE, monkeypatch)
    said = texts(at)
    assert "No gaps found. Checked the council's own" in said
    assert ("Cannot be checked: DfE publishes no figures for Northmoor (fictional sample council), so there is "
            "nothing to compare its year-end figures with.") in said
    assert "A jump from one month to the next · " in said



def test_the_page_checks_the_council_chosen_in_the_address_and_says_which(published_url, monkeypatch):
    for key, value in environment(published_url, DASHBOARD_HOME_AREA=SAMPLE).items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["area"] = CHESHIRE_EAST
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    assert "Cheshire East · corporate parenting dashboard" in said
    assert "Northmoor" not in said
    assert "**Cheshire East**: nothing found in the checks that could be made" in said
