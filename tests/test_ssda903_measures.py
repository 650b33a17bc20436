"""The 903 measures, child by child: each rule of DfE's definitions on a child who tests it.

Sets are built as the reader gives them (one frame per table over every year, DfE's column names, dates as
datetime64, blanks None/NaT). Episodes are written as a child's whole history and spread over the years'
files as councils send them: every year's file holds the episodes open in that year, with the end date
blank where the episode was still open on 31 March, so the measures also go through the stitching.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from loaders.ssda903.model import FILE, ROW, TABLE, TABLES, YEAR, Figure903, FileOf903, Return903
from metrics.ssda903.compute import compute
from metrics.ssda903.distance import PostcodeDirectory
from tests.databases import new_database

AREA = "E06000049"


def d(text: str | None) -> pd.Timestamp:
    return pd.NaT if text is None else pd.Timestamp(date(*map(int, reversed(text.split("/")))))


def ep(child: str, decom: str, rne: str = "S", ls: str = "C2", place: str = "U4", dec: str | None = None,
       rec: str | None = None, home: str | None = None, placed: str | None = None) -> dict:
    return dict(CHILD=child, DECOM=d(decom), RNE=rne, LS=ls, CIN="N1", PLACE=place, PLACE_PROVIDER="PR1",
                DEC=d(dec), REC=rec, REASON_PLACE_CHANGE=None, HOME_POST=home, PL_POST=placed, URN=None)


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    spec = TABLE[name]
    columns = [*spec.columns, FILE, ROW, YEAR]
    out = pd.DataFrame(rows, columns=columns)
    for column in spec.dates:
        out[column] = pd.to_datetime(out[column]).astype("datetime64[ns]")
    out[YEAR] = out[YEAR].astype("int64")
    return out


def build(years: tuple[int, ...], episodes: list[dict] = (), header: list[dict] = (), **tables: list[dict]) -> Return903:
    """A set over ``years``: ``episodes`` as whole histories, spread over the years' files; other tables'
    rows carry their own YEAR."""
    rows: dict[str, list[dict]] = {spec.name: [] for spec in TABLES}
    for year in years:
        first, last = pd.Timestamp(date(year - 1, 4, 1)), pd.Timestamp(date(year, 3, 31))
        for e in episodes:
            if e["DECOM"] <= last and (pd.isna(e["DEC"]) or e["DEC"] >= first):
                row = dict(e)
                if pd.notna(e["DEC"]) and e["DEC"] > last:
                    row["DEC"], row["REC"] = pd.NaT, None
                rows["episodes"].append({**row, FILE: f"{year}/episodes.csv", ROW: 2, YEAR: year})
    for h in header:
        for year in years:
            rows["header"].append({"SEX": "1", "ETHNIC": "WBRI", **h, FILE: f"{year}/header.csv", ROW: 2, YEAR: year})
    for name, given in tables.items():
        rows[name] = [{FILE: f"{name}.csv", ROW: 2, **r} for r in given]
    files = tuple(FileOf903(f"{y}/{spec.name}.csv", spec.name, y, 0, "0" * 64) for y in years for spec in TABLES)
    return Return903(AREA, tuple(years), files, {name: frame(name, r) for name, r in rows.items()})


def child(child_id: str, dob: str) -> dict:
    return {"CHILD": child_id, "DOB": d(dob)}


def one(figures: list[Figure903], code: str, end: date, period_type: str = "year") -> Figure903:
    found = [f for f in figures if f.measure_code == code and f.period_end == end and f.period_type == period_type]
    assert len(found) == 1, (code, end, period_type, len(found))
    return found[0]


def fig(figure: Figure903) -> tuple:
    return figure.numerator, figure.denominator, None if figure.value is None else round(figure.value, 4)


MARCH_25 = date(2025, 3, 31)


def test_children_looked_after_at_the_end_of_the_day_short_breaks_excluded_and_the_rate_uses_dfe_population():
    ret = build((2025,), [
        ep("A", "01/06/2024"),  # in care on 31 March
        ep("B", "01/06/2024", dec="31/03/2025", rec="E4A"),  # went home on 31 March: not looked after at its end
        ep("C", "01/06/2024", ls="V3", place="U4"),  # short breaks: in no measure
        ep("D", "01/06/2024", ls="V4"),
    ], [child(c, "01/01/2015") for c in "ABCD"])
    figures = compute(ret, population={2025: 20_000.0}, latest=MARCH_25)
    assert fig(one(figures, "cla_count", MARCH_25)) == (1.0, None, 1.0)
    assert one(figures, "cla_count", MARCH_25).children == {"A"}
    assert fig(one(figures, "cla_rate", MARCH_25)) == (1.0, 20_000.0, 0.5)
    assert fig(one(figures, "cla_starts", MARCH_25)) == (2.0, None, 2.0)  # A and B, not the short breaks
    assert fig(one(figures, "cla_ceased", MARCH_25)) == (1.0, None, 1.0)
    assert fig(one(figures, "cla_foster_pct", MARCH_25)) == (1.0, 1.0, 100.0)
    # Month ends use the latest population DfE has published, and say so.
    rate = one(compute(ret, population={2024: 10_000.0}, latest=MARCH_25), "cla_rate", date(2024, 9, 30), "month")
    assert fig(rate) == (2.0, 10_000.0, 2.0) and "2023-24" in rate.note  # A and B on 30 September
    missing = one(compute(ret, latest=MARCH_25), "cla_rate", MARCH_25)
    assert missing.value is None and missing.status == "x" and "population" in missing.note


def test_each_child_started_and_ceased_once_however_many_times():
    ret = build((2024, 2025), [
        ep("A", "01/05/2024", dec="01/06/2024", rec="E4A"),
        ep("A", "01/09/2024", dec="01/10/2024", rec="E4B"),
        ep("A", "01/12/2024"),
    ], [child("A", "01/01/2012")])
    figures = compute(ret, latest=MARCH_25)
    assert fig(one(figures, "cla_starts", MARCH_25)) == (1.0, None, 1.0)
    assert fig(one(figures, "cla_ceased", MARCH_25)) == (1.0, None, 1.0)
    # A month end counts its own month (the catalogue adds months up to the year): May has the start only.
    assert fig(one(figures, "cla_starts", date(2024, 5, 31), "month")) == (1.0, None, 1.0)
    assert fig(one(figures, "cla_ceased", date(2024, 5, 31), "month")) == (0.0, None, 0.0)
    assert fig(one(figures, "cla_ceased", date(2024, 6, 30), "month")) == (1.0, None, 1.0)
    assert fig(one(figures, "cla_starts", date(2024, 6, 30), "month")) == (0.0, None, 0.0)


def stability_of(episodes: list[dict], years: tuple[int, ...] = (2025,)) -> tuple:
    ret = build(years, episodes, [child(episodes[0]["CHILD"], "01/01/2015")])
    return fig(one(compute(ret, latest=MARCH_25), "stab_3plus_pct", MARCH_25))


def test_three_placements_counts_those_open_on_the_first_and_last_day():
    assert stability_of([
        ep("A", "01/01/2024", place="U4", dec="01/04/2024", rec="X1"),  # open on 1 April
        ep("A", "01/04/2024", rne="P", place="U5", dec="01/10/2024", rec="X1"),
        ep("A", "01/10/2024", rne="P", place="K2"),  # open on 31 March
    ], (2024, 2025)) == (1.0, 1.0, 100.0)


def test_a_change_of_legal_status_only_is_not_a_placement_change():
    assert stability_of([
        ep("A", "01/05/2024", place="U4", dec="01/06/2024", rec="X1"),
        ep("A", "01/06/2024", rne="L", ls="C2", place="U4", dec="01/07/2024", rec="X1"),
        ep("A", "01/07/2024", rne="P", place="U5"),
    ]) == (0.0, 1.0, 0.0)


def test_a_temporary_placement_and_the_return_from_it_are_not_changes():
    assert stability_of([
        ep("A", "01/05/2024", place="U4", dec="01/06/2024", rec="X1"),
        ep("A", "01/06/2024", rne="P", place="T3", dec="10/06/2024", rec="X1"),  # carer's holiday
        ep("A", "10/06/2024", rne="P", place="U4", dec="01/09/2024", rec="X1"),  # back to the normal carer
        ep("A", "01/09/2024", rne="P", place="U5"),
    ]) == (0.0, 1.0, 0.0)


def test_placed_for_adoption_with_the_same_carers_is_not_a_change():
    assert stability_of([
        ep("A", "01/05/2024", place="U4", dec="01/06/2024", rec="X1"),
        ep("A", "01/06/2024", rne="P", place="U5", dec="01/09/2024", rec="X1"),
        ep("A", "01/09/2024", rne="T", ls="E1", place="A5"),  # adoption by the foster carers of June
    ]) == (0.0, 1.0, 0.0)
    assert stability_of([
        ep("A", "01/05/2024", place="U4", dec="01/06/2024", rec="X1"),
        ep("A", "01/06/2024", rne="P", place="U5", dec="01/09/2024", rec="X1"),
        ep("A", "01/09/2024", rne="B", ls="E1", place="A6"),  # adoption by new carers: a third placement
    ]) == (1.0, 1.0, 100.0)


def test_a_placement_of_less_than_24_hours_is_not_counted():
    assert stability_of([
        ep("A", "01/05/2024", place="U4", dec="01/06/2024", rec="X1"),
        ep("A", "01/06/2024", rne="P", place="U5", dec="01/06/2024", rec="X1"),  # the same day
        ep("A", "01/06/2024", rne="P", place="U6"),
    ]) == (0.0, 1.0, 0.0)


def test_a_child_who_turns_18_leaves_care_and_every_cohort():
    ret = build((2025,), [ep("A", "01/01/2020", dec="09/10/2024", rec="E17")], [child("A", "10/10/2006")])
    figures = compute(ret, latest=MARCH_25)
    assert fig(one(figures, "cla_ceased", MARCH_25)) == (1.0, None, 1.0)
    assert fig(one(figures, "cla_count", MARCH_25)) == (0.0, None, 0.0)
    assert one(figures, "cla_count", date(2024, 9, 30), "month").children == {"A"}
    assert one(figures, "stab_3plus_pct", MARCH_25).status == "z"  # nobody in care on 31 March


def three_years(*episodes: dict) -> list[Figure903]:
    return compute(build((2023, 2024, 2025), list(episodes), [child("A", "01/01/2014")]), latest=MARCH_25)


def test_long_term_stability_over_a_period_of_care_stitched_from_three_years():
    figures = three_years(
        ep("A", "01/06/2021", place="U4", dec="01/02/2023", rec="X1"),  # began before the earliest year
        ep("A", "01/02/2023", rne="L", ls="C2", place="U4", dec="01/03/2023", rec="X1"),  # same placement
        ep("A", "01/03/2023", rne="P", place="U5"),  # since March 2023: 2 years by 31 March 2025
    )
    assert fig(one(figures, "stab_long_pct", MARCH_25)) == (1.0, 1.0, 100.0)
    # On 31 March 2024 the child had been in care 2 years 10 months, in the current placement 13 months.
    assert fig(one(figures, "stab_long_pct", date(2024, 3, 31))) == (0.0, 1.0, 0.0)
    # On 31 March 2023 the period of care had run under 2.5 years: nobody in the cohort.
    assert one(figures, "stab_long_pct", date(2023, 3, 31)).status == "z"


def test_long_term_stability_moved_within_two_years_and_adoption_with_the_placement_before():
    moved = three_years(ep("A", "01/06/2021", place="U4", dec="01/06/2023", rec="X1"),
                        ep("A", "01/06/2023", rne="P", place="U5"))
    assert fig(one(moved, "stab_long_pct", MARCH_25)) == (0.0, 1.0, 0.0)
    adopted = three_years(ep("A", "01/06/2021", place="U4", dec="01/06/2023", rec="X1"),
                          ep("A", "01/06/2023", rne="B", ls="E1", place="A6"))
    assert fig(one(adopted, "stab_long_pct", MARCH_25)) == (1.0, 1.0, 100.0)


def test_long_term_stability_is_not_guessed_when_the_files_do_not_reach_the_start():
    # The earliest file (2022-23) holds an episode from March 2022 that is not a start: the period began
    # earlier, on a date no file gives, so on 31 March 2024 nobody can tell whether the child had been in care
    # 2.5 years. By 31 March 2025 what is held is enough.
    figures = three_years(ep("A", "01/03/2022", rne="P", place="U4"))
    unsure = one(figures, "stab_long_pct", date(2024, 3, 31))
    assert unsure.value is None and unsure.status == "x" and "earlier years" in unsure.note
    assert fig(one(figures, "stab_long_pct", MARCH_25)) == (1.0, 1.0, 100.0)


def test_dates_whose_reasons_differ_only_in_how_many_children_are_one_line_of_the_no_figure_list():
    from loaders.ssda903.load import without_figure

    # Two children whose care began before the earliest file, so until September 2024 nobody can tell whether
    # they had been in care 2.5 years. B leaves in May 2024: April's month end is unsure for 2 children, the
    # months after for 1. One reason at every date: one line of the list, not one a month.
    ret = build((2023, 2024, 2025), [ep("A", "01/03/2022", rne="P", place="U4"),
                                     ep("B", "01/03/2022", rne="P", place="U4", dec="15/05/2024", rec="E11")],
                [child("A", "01/01/2014"), child("B", "01/01/2014")])
    months = [f for f in compute(ret, latest=MARCH_25) if f.period_type == "month"]
    notes = {f.period_end: f.note for f in months if f.measure_code == "stab_long_pct" and f.value is None}
    assert "for 2 children" in notes[date(2024, 4, 30)] and "for 1 child:" in notes[date(2024, 5, 31)]
    lines = [n for n in without_figure(months) if n.measure_code == "stab_long_pct"]
    assert len(lines) == 1 and lines[0].dates == tuple(sorted(notes))
    assert lines[0].reason.startswith("The episodes loaded do not go back far enough to tell for some of the children")
    april = without_figure([f for f in months if f.period_end == date(2024, 4, 30)])
    assert [n.reason for n in april if n.measure_code == "stab_long_pct"] == [notes[date(2024, 4, 30)]]


def test_a_later_years_record_of_an_episode_replaces_the_earlier():
    ret = build((2024, 2025), [ep("A", "01/06/2023", place="U4")], [child("A", "01/01/2015")])
    episodes = ret.table("episodes")
    episodes.loc[episodes[YEAR] == 2025, "PLACE"] = "K2"  # corrected in the later return
    figures = compute(ret, latest=MARCH_25)
    assert fig(one(figures, "cla_foster_pct", MARCH_25)) == (0.0, 1.0, 0.0)
    assert fig(one(figures, "cla_foster_pct", date(2024, 3, 31))) == (0.0, 1.0, 0.0)


def oc2(child_id: str, year: int, **flags: str) -> dict:
    row = dict(CHILD=child_id, DOB=None, SDQ_SCORE=None, SDQ_REASON=None, CONVICTED="0", HEALTH_CHECK="0",
               IMMUNISATIONS="0", TEETH_CHECK="0", HEALTH_ASSESSMENT="0", SUBSTANCE_MISUSE="0",
               INTERVENTION_RECEIVED=None, INTERVENTION_OFFERED=None)
    return {**row, **flags, YEAR: year}


def test_health_of_children_looked_after_continuously_for_12_months():
    ret = build((2025,), [
        ep("A", "01/01/2023"),  # 12 months and more, aged 3
        ep("B", "01/01/2022"),  # aged 10
        ep("C", "01/04/2024"),  # from 1 April: 12 months on 31 March
        ep("D", "02/04/2024"),  # under 12 months: not in the cohort
        ep("E", "01/01/2022", ls="V3"),  # short breaks: never
    ], [child("A", "01/06/2021"), child("B", "01/06/2014"), child("C", "01/06/2010"), child("D", "01/06/2010"),
        child("E", "01/06/2010")],
        oc2=[oc2("A", 2025, HEALTH_ASSESSMENT="1", HEALTH_CHECK="1", TEETH_CHECK="1", IMMUNISATIONS="1"),
             oc2("B", 2025, HEALTH_ASSESSMENT="1", SDQ_SCORE="20"),
             oc2("C", 2025, SDQ_SCORE="10"), oc2("D", 2025, HEALTH_ASSESSMENT="1")])
    figures = compute(ret, latest=MARCH_25)
    assert one(figures, "health_annual_pct", MARCH_25).children == {"A", "B", "C"}
    assert fig(one(figures, "health_annual_pct", MARCH_25)) == (2.0, 3.0, 66.6667)
    assert fig(one(figures, "health_dental_pct", MARCH_25)) == (1.0, 3.0, 33.3333)
    assert fig(one(figures, "health_dev_pct", MARCH_25)) == (1.0, 1.0, 100.0)  # under 5: A only
    assert fig(one(figures, "health_sdq_received_pct", MARCH_25)) == (2.0, 2.0, 100.0)  # aged 5-16: B, C
    assert fig(one(figures, "health_sdq_avg", MARCH_25)) == (30.0, 2.0, 15.0)
    assert fig(one(figures, "health_sdq_concern_pct", MARCH_25)) == (1.0, 2.0, 50.0)
    assert fig(one(figures, "health_sdq_normal_pct", MARCH_25)) == (1.0, 2.0, 50.0)
    assert not [f for f in figures if f.measure_code == "health_annual_pct" and f.period_type == "month"]


def oc3(child_id: str, dob: str, in_touch: str, activ: str, accom: str) -> dict:
    return dict(CHILD=child_id, DOB=d(dob), IN_TOUCH=in_touch, ACTIV=activ, ACCOM=accom, **{YEAR: 2025})


def test_care_leavers_by_their_birthday_in_the_year_with_dfes_exclusions():
    ret = build((2025,), [], [], oc3=[
        oc3("A", "15/03/2007", "YES", "F2", "U1"),  # 18th birthday in March 2025: 17-18, in education
        oc3("B", "15/05/2006", "YES", "G5", "S2"),  # 18 in May 2024 (19 only in May 2025): 17-18, NEET
        oc3("C", "15/05/2006", "NO", "0", "0"),  # not in touch: activity and accommodation not known
        oc3("D", "15/05/2006", "DIED", "0", "0"),  # died: excluded
        oc3("E", "15/05/2006", "RHOM", "0", "0"),  # home for 6 months or more: excluded
        oc3("F", "15/05/2006", "YES", "F5", "G1"),  # gone abroad: in EET, not in accommodation's cohort
        oc3("G", "15/05/2004", "YES", "F1", "U1"),  # 20 in May 2024: 19-21
    ])
    figures = compute(ret, latest=MARCH_25)
    assert one(figures, "cl_eet_17_18", MARCH_25).children == {"A", "B", "C", "F"}
    assert fig(one(figures, "cl_eet_17_18", MARCH_25)) == (2.0, 4.0, 50.0)
    assert fig(one(figures, "cl_neet_17_18", MARCH_25)) == (1.0, 4.0, 25.0)
    assert fig(one(figures, "cl_not_known_17_18", MARCH_25)) == (1.0, 4.0, 25.0)
    assert fig(one(figures, "cl_accom_17_18", MARCH_25)) == (1.0, 3.0, 33.3333)
    assert fig(one(figures, "cl_eet_19_21", MARCH_25)) == (1.0, 1.0, 100.0)


def test_reviews_missing_and_unaccompanied_children():
    ret = build((2025,), [ep("A", "01/01/2024"), ep("B", "01/01/2024"), ep("C", "01/01/2024", ls="V3")],
                [child("A", "01/06/2021"), child("B", "01/06/2010"), child("C", "01/06/2010")],
                reviews=[dict(CHILD="A", DOB=d("01/06/2021"), REVIEW=d("01/05/2024"), REVIEW_CODE="PN0", _year=2025),
                         dict(CHILD="A", DOB=d("01/06/2021"), REVIEW=d("01/09/2025"), REVIEW_CODE="PN1", _year=2025),
                         dict(CHILD="B", DOB=d("01/06/2010"), REVIEW=d("01/05/2024"), REVIEW_CODE="PN1", _year=2025),
                         dict(CHILD="B", DOB=d("01/06/2010"), REVIEW=d("01/11/2024"), REVIEW_CODE="PN0", _year=2025),
                         dict(CHILD="C", DOB=d("01/06/2010"), REVIEW=d("01/11/2024"), REVIEW_CODE="PN1", _year=2025)],
                missing=[dict(CHILD="B", DOB=d("01/06/2010"), MISSING="M", MIS_START=d("01/05/2024"),
                              MIS_END=d("02/05/2024"), _year=2025),
                         dict(CHILD="B", DOB=d("01/06/2010"), MISSING="M", MIS_START=d("01/07/2024"),
                              MIS_END=d("02/07/2024"), _year=2025),
                         dict(CHILD="A", DOB=d("01/06/2021"), MISSING="A", MIS_START=d("01/07/2024"),
                              MIS_END=d("02/07/2024"), _year=2025)],
                uasc=[dict(CHILD="B", SEX="1", DOB=d("01/06/2010"), DUC=d("01/06/2028"), _year=2025)])
    figures = compute(ret, latest=MARCH_25)
    # A was under 4 at its review in May 2024 (the one of September 2025 is after the year); C's are short breaks.
    assert fig(one(figures, "review_participation_pct", MARCH_25)) == (1.0, 2.0, 50.0)
    assert fig(one(figures, "missing_pct", MARCH_25)) == (1.0, 2.0, 50.0)  # A was away, not missing
    assert fig(one(figures, "missing_incidents", MARCH_25)) == (2.0, None, 2.0)
    assert fig(one(figures, "cla_uasc", MARCH_25)) == (1.0, None, 1.0)


def test_month_ends_run_to_the_latest_date_in_the_data_and_need_last_years_episodes():
    ret = build((2025,), [ep("A", "01/06/2024", dec="15/10/2024", rec="E4A")], [child("A", "01/01/2015")])
    months = sorted(f.period_end for f in compute(ret) if f.period_type == "month" and f.measure_code == "cla_count")
    assert months[0] == date(2024, 4, 30) and months[-1] == date(2024, 9, 30)
    stab = one(compute(ret), "stab_3plus_pct", date(2024, 9, 30), "month")
    assert stab.value is None and stab.status == "x" and "2023-24" in stab.note


def test_placed_more_than_20_miles_needs_a_postcode_directory():
    ret = build((2025,), [ep("A", "01/06/2024", home="CW1 1AA", placed="M1 1AA"),
                          ep("B", "01/06/2024", home="CW1 1AA", placed="CW1 2AA"),
                          ep("C", "01/06/2024", home="CW1 1AA", placed="ZZ9 9ZZ")],
                [child(c, "01/01/2015") for c in "ABC"])
    without = one(compute(ret, latest=MARCH_25), "cla_20miles_pct", MARCH_25)
    assert without.value is None and without.status == "x" and "postcode directory" in without.note
    onspd = pd.DataFrame({"pcd": ["CW1 1AA", "M1  1AA", "CW1 2AA"], "oseast1m": ["370000", "384000", "400000"],
                          "osnrth1m": ["355000", "398000", "355000"], "oslaua": ["E06000049", "E08000003", "E06000049"],
                          "oscty": ["E99999999", "E99999999", "E99999999"]})
    figure = one(compute(ret, latest=MARCH_25, postcodes=PostcodeDirectory.from_onspd(onspd)), "cla_20miles_pct",
                 MARCH_25)
    # A: 28 miles away in Manchester; B: 18.6 miles, in the council; C: placement postcode not found.
    assert fig(figure) == (1.0, 3.0, 33.3333) and "1 child" in figure.note


def test_placed_more_than_20_miles_from_the_ons_postcode_packages_counts_a_county_as_one_council():
    """Real postcodes through the ONS packages DfE's validator uses: Maidstone to Canterbury is 24.7 miles but
    both are in Kent, so for Kent that child is not placed outside; for Cheshire East, Crewe to Westminster
    counts; Wales is outside; a postcode nobody has is not known and stays in the denominator."""
    from dataclasses import replace

    from metrics.ssda903.distance import directory_for

    episodes = [ep("A", "01/06/2024", home="ME14 1XQ", placed="CT1 1YW"),  # Maidstone -> Canterbury, Kent
                ep("B", "01/06/2024", home="ME14 1XQ", placed="SW1A 1AA"),  # -> Westminster, 32 miles
                ep("C", "01/06/2024", home="ME14 1XQ", placed="CF10 1EP"),  # -> Cardiff
                ep("D", "01/06/2024", home="ME14 1XQ", placed="ME14 1XR"),  # down the road
                ep("E", "01/06/2024", home="ME14 1XQ", placed="ZZ9 9ZZ")]  # no such postcode
    kent = replace(build((2025,), episodes, [child(c, "01/01/2015") for c in "ABCDE"]), area_code="E10000016")
    directory = directory_for(kent.table("episodes"))
    assert directory is not None and directory.grid.loc["CT11YW", "council"] == "E10000016"
    figure = one(compute(kent, latest=MARCH_25, postcodes=directory), "cla_20miles_pct", MARCH_25)
    assert fig(figure) == (2.0, 5.0, 40.0)  # B and C
    assert "1 child" in figure.note
    medway = replace(kent, area_code="E06000035")  # for Medway, Canterbury is outside the council and far
    assert fig(one(compute(medway, latest=MARCH_25, postcodes=directory), "cla_20miles_pct", MARCH_25))[0] == 3.0


@pytest.mark.parametrize("code", ["review_participation_pct", "missing_pct", "missing_incidents", "cla_uasc"])
def test_new_measures_are_in_the_catalogue(code):
    from reference.catalogue import catalogue

    assert code in catalogue()


def test_every_measure_computed_says_how_with_dfes_words_and_our_choices():
    from metrics.ssda903.methods import how_computed

    ret = build((2025,), [ep("A", "01/06/2024")], [child("A", "01/01/2015")])
    codes = {f.measure_code for f in compute(ret, latest=MARCH_25)}
    for code in codes:
        method = how_computed(code)
        assert method.dfe and method.rules and method.choices, code
        assert "DfE's definition:" in method.text
    assert "rule 383" in how_computed("stab_3plus_pct").text
    assert "gone abroad" in how_computed("cl_accom_19_21").text
    assert how_computed("health_iha_pct").text == ""  # not from the 903


def test_dfes_population_comes_from_the_denominator_of_its_published_rate(tmp_path):
    from db.engine import connect
    from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch
    from metrics.ssda903.population import published_population

    engine = connect(new_database(tmp_path / 'dashboard.db'))

    def rate(year: int, numerator: float, denominator: float | None) -> dict:
        return dict(measure_code="cla_rate", area_code=AREA, period_type="year", period_end=pd.Timestamp(year, 3, 31),
                    dimension="", category="", value=70.0, numerator=numerator, denominator=denominator,
                    status="value")

    def load(name: str, source: str, rows: list[dict]) -> None:
        apply_batch(engine, BatchInfo(name, name.encode().hex().ljust(64, "0")[:64], source, ["Sheet1"], "tester"),
                    pd.DataFrame(rows, columns=OBSERVATION_COLUMNS))

    # EES gives the population beside the rate; LAIT's rounded rate (2019) gives none; a council's own is not DfE's.
    load("ees.csv", "published", [rate(2024, 540.0, 77_123.0), rate(2019, 500.0, None)])
    load("own.xlsx", "return", [rate(2025, 560.0, 80_000.0)])
    assert published_population(engine, AREA) == {2024: 77_123.0}
    figure = one(compute(build((2025,), [ep("A", "01/06/2024")], [child("A", "01/01/2015")]),
                         population=published_population(engine, AREA), latest=MARCH_25),
                 "cla_rate", date(2024, 12, 31), "month")
    assert figure.denominator == 77_123.0 and "2023-24" in figure.note
