"""DfE's 903 validation rules: the rows each rule must flag, from DfE's validator's own rule tests.

Each golden case is the ``test_validate()`` fixture of data-to-insight/csc-validator-be-903
(``lac_validator/rules/lac20xx_yy/rule_NNN.py``): its input rows, and the rows it must flag (by position;
a spreadsheet shows position 0 as row 2). The input is given as a 903 file gives it: text, with a blank cell
blank. Where our rows differ from the validator's test, it says why beside the case: DfE's validator
capitalises every code before its rules run ("wbri" is WBRI), and an empty cell is blank in a file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest

from loaders.ssda903.model import FILE, ROW, TABLE, YEAR, FileOf903, Problem903, Return903
from loaders.ssda903.rules import CODES, RULES, check, children_touched, rules_for
from reference.catalogue import catalogue

NA = None
HEADER_ROW = 1  # a file's first data row is row 2


def frame(name: str, columns: dict[str, list], year: int, parse_dates: bool = True) -> pd.DataFrame:
    """One table of one collection year as the reader gives it: every DfE column, text stripped, a blank cell
    None, dates parsed (unless ``parse_dates`` is off, to give date text that is not a date), and where each
    row came from."""
    spec = TABLE[name]
    rows = len(next(iter(columns.values())))
    data = {}
    for column in spec.columns:
        values = [None if v is None or str(v).strip() == "" else str(v).strip() for v in columns.get(column, [None] * rows)]
        series = pd.Series(values, dtype=object)
        if column in spec.dates and parse_dates:
            series = pd.to_datetime(series, format="%d/%m/%Y", errors="coerce")
        data[column] = series
    out = pd.DataFrame(data)
    out[FILE] = f"{year - 1}-{year % 100:02d}/{name}.csv"
    out[ROW] = range(HEADER_ROW + 1, HEADER_ROW + 1 + rows)
    out[YEAR] = year
    return out


def return_903(tables: dict[int, dict[str, pd.DataFrame]]) -> Return903:
    """A set of several collection years: ``tables`` maps each year to its tables' frames."""
    frames = {}
    for spec_name in TABLE:
        parts = [by_name[spec_name] for by_name in tables.values() if spec_name in by_name]
        frames[spec_name] = (pd.concat(parts, ignore_index=True) if parts
                             else pd.DataFrame(columns=[*TABLE[spec_name].columns, FILE, ROW, YEAR]))
    files = tuple(FileOf903(f"{name}.csv", name, year, len(f), "0" * 64)
                  for year, by_name in tables.items() for name, f in by_name.items())
    return Return903("E06000049", tuple(sorted(tables)), files, frames)


@dataclass(frozen=True)
class Golden:
    rule: str
    year: int  # the collection year (ending 31 March) the fixture is checked against
    tables: dict[str, dict[str, list]]
    flagged: dict[str, list[int]]  # table -> positions of the rows that must be flagged
    parse_dates: bool = True
    why: str = ""  # where our rows differ from the validator's test, why

    def __str__(self) -> str:
        return f"{self.rule}-{self.year}"


# Episodes of the continuity fixtures (186, 190, 191): a collection year 1 April 1980 to 31 March 1981.
CONTINUITY_EPISODES = {
    "CHILD": ["1", "2", "3333", "4", "5", "5", "6666", "6666", "7777", "7777", "8888"],
    "DECOM": ["01/03/1980", "01/03/1980", "01/03/1980", "01/02/1970", "01/03/1979", "01/01/1981", "01/03/1979",
              "01/01/1981", "01/03/1979", "01/01/1981", "01/01/1981"],
    "DEC": ["31/03/1981", "30/03/1981", "01/01/1981", NA, "01/01/1981", NA, "01/01/1981", NA, "01/01/1981",
            "01/07/1981", "31/03/1999"],
    "LS": ["o", "o", "V3", "o", "o", "o", "o", "o", "o", "o", "o"],
    "REC": ["X1", "X1", "X1", "!!", "X1", NA, "!!", NA, "X1", "o", "o"],
    "RNE": ["o", "o", "o", "o", "o", "o", "o", "o", "o", "S", "S"],
}
AGE_EPISODES = {  # 543 and 545
    "CHILD": ["101", "102", "103", "104", "105", "105", "106", "107"],
    "DECOM": ["01/03/1980", "01/03/1980", "01/03/1980", "01/02/1970", "01/03/1979", "01/01/1981", "01/03/1980",
              "01/03/1980"],
    "DEC": ["31/03/1981", "30/03/1981", "01/01/1981", NA, "01/01/1981", "01/01/1983", "01/01/1982", "01/01/1982"],
    "LS": ["o", "o", "o", "o", "o", "o", "V3", "V3"],
    "REC": ["X1", "X1", "X1", "!!", "X1", "oo", "X1", "!!"],
    "RNE": ["o"] * 8,
}
CHAIN_142_388 = {
    "CHILD": ["111", "111", "111", "111", "222", "333", "333", "444", "444", "444", "555", "6666", "6666", "6666",
              "6666", "77777", "77777", "77777", "999", "123", NA],
    "DECOM": ["01/06/2020", "05/06/2020", "06/06/2020", "08/06/2020", "05/06/2020", "06/06/2020", "07/06/2020",
              "08/06/2020", "09/06/2020", "15/06/2020", "11/06/2020", "12/06/2020", "13/06/2020", "14/06/2020",
              "15/06/2020", "16/06/2020", "17/06/2020", "18/06/2020", "31/06/2020", NA, NA],
}
EPISODES_436 = {
    "CHILD": ["11", "11", "11", "11", "22", "33", "33", "44", "44", "44", "55", "66", "66", "66", "66", "77", "77",
              "77", "99", "12", NA],
    "DECOM": ["03/06/2020", "05/06/2020", "06/06/2020", "08/06/2020", "05/06/2020", "06/06/2020", "07/06/2020",
              "08/06/2020", "09/06/2020", "15/06/2020", "11/06/2020", "12/06/2020", "13/06/2020", "14/06/2020",
              "15/06/2020", "16/06/2020", "17/06/2020", "18/06/2020", "31/06/2020", NA, NA],
    "RNE": ["P", "U", "B", "U", "U", "P", "B", "T", "B", "B", "P", "P", "P", "B", "P", "P", "B", "P", "P", "U", "U"],
    "LS": ["P", "X", "P", "X", "P", "P", NA, "P", "P", "P", "P", "P", "P", "X", "P", "P", "P", NA, NA, NA, NA],
    "PLACE": ["X1", "X1", "X1", "X1", NA, "E11", NA, "X1", "E11", NA, "X1", "X1", "X1", "X1", "X1", "X1", "X1", NA,
              NA, NA, NA],
    "PL_POST": ["X1"] * 3 + ["TT"] + ["X1"] * 17,
    "URN": ["R"] + ["a"] * 20,
    "PLACE_PROVIDER": ["b"] * 21,
}
EPISODES_383 = {
    "CHILD": ["111", "111", "111", "222", "333", "333", "333", "444", "444", "444", "6666", "6666", "6666"],
    "RNE": ["S", "S", "T", "S", "S", "S", "P", "S", "S", "S", "S", "S", "P"],
    "DECOM": ["01/06/2020", "05/06/2020", "06/06/2020", "05/06/2020", "06/06/2020", "10/06/2020", "12/06/2020",
              "08/06/2020", "09/06/2020", "15/06/2020", "12/06/2020", "13/06/2020", "14/06/2020"],
    "PLACE": ["S1", "T1", "S1", "T1", "S1", "T1", "S2", "T1", "P4", "T1", "T1", "T1", "T1"],
}
EPISODES_383_2026 = {
    "CHILD": EPISODES_383["CHILD"] + ["777", "777", "777"],
    "RNE": EPISODES_383["RNE"] + ["P", "S", "P"],
    "DECOM": EPISODES_383["DECOM"] + ["01/06/2020", "05/06/2020", "06/06/2020"],
    "PLACE": EPISODES_383["PLACE"] + ["S1", "T1", "S1"],
    "PL_POST": ["1"] * 13 + ["1", "2", "3"],
}
CAPITALS = "DfE's validator capitalises codes before its rules run, so a code in small letters is valid"
BLANK = "an empty cell is blank in a file (not a code)"

GOLDEN = [
    Golden("101", 2023, {"header": {"SEX": [1, 2, 3, NA]}}, {"header": [2, 3]}),
    Golden("101", 2025, {"header": {"SEX": ["M", "F", "U", 1, "X", NA]}}, {"header": [3, 4, 5]}),
    Golden("102", 2023, {"header": {"DOB": ["01/01/2021", "19/02/2010", "38/04/2019", "01/01/19", NA]}},
           {"header": [2, 3, 4]}, parse_dates=False),
    Golden("103", 2023, {"header": {"ETHNIC": ["WBRI", "WIRI", "WOTH", "wbri", "White British", "", NA]}},
           {"header": [4, 5, 6]}, why=CAPITALS),
    Golden("131", 2023, {"oc3": {"IN_TOUCH": ["yes", "YES", 1, "REFUSE", "REFU", "", NA]}}, {"oc3": [2, 3, 5, 6]},
           why=CAPITALS),
    Golden("132", 2023, {"oc3": {"ACTIV": ["f1", "F1", 1, 0, "1", "0", "", NA]}}, {"oc3": [2, 4, 6, 7]},
           why=CAPITALS),
    Golden("133", 2023, {"oc3": {"ACCOM": ["B1", "B2", NA, "s2", "K1", "X", "1"]}}, {"oc3": [2, 5, 6]},
           why=CAPITALS),
    Golden("141", 2021, {"episodes": {"DECOM": ["01/01/2021", "19/02/2010", "38/04/2019", "01/01/19", NA]}},
           {"episodes": [2, 3]}, parse_dates=False),
    Golden("142", 2021, {"episodes": {
        **CHAIN_142_388,
        "DEC": ["04/06/2020", "06/06/2020", "08/06/2020", "05/06/2020", "06/06/2020", NA, NA, "09/06/2020",
                "10/06/2020", NA, "12/06/2020", "13/06/2020", "14/06/2020", NA, "16/06/2020", "17/06/2020",
                "18/06/2020", NA, NA, NA, NA],
        "REC": ["X1", NA, "X1", "X1", NA, "E11", NA, "X1", "E11", NA, "X1", "X1", "X1", "X1", "X1", "X1", "X1", "X1",
                NA, NA, NA]}}, {"episodes": [1, 5, 13]}),
    Golden("143", 2021, {"episodes": {"RNE": ["S", "p", "SP", "a", "", NA]}}, {"episodes": [2, 3]},
           why=f"{CAPITALS}; {BLANK}"),
    Golden("144", 2021, {"episodes": {"LS": ["C1", "c1", "section 20", "", NA]}}, {"episodes": [2]},
           why=f"{CAPITALS}; {BLANK}"),
    Golden("145", 2021, {"episodes": {"CIN": ["N0", "N1", "N9", "n8", "", NA]}}, {"episodes": [0, 2]},
           why=f"{CAPITALS}; {BLANK}"),
    Golden("146", 2023, {"episodes": {"PLACE": ["A2", "R4", "Z", "P1", "", "t3", NA]}}, {"episodes": [0, 1, 2]},
           why=f"{CAPITALS}; {BLANK}"),
    Golden("146", 2025, {"episodes": {"PLACE": ["A2", "R4", "Z", "P1", "", "t3", NA, "K3", "H5"]}},
           {"episodes": [0, 1, 2]}, why=f"{CAPITALS}; {BLANK}; K3 (new for 2024-25) and H5 are valid"),
    Golden("146", 2026, {"episodes": {"PLACE": ["A2", "R4", "Z", "P1", "", "t3", NA, "Z14", "H5"]}},
           {"episodes": [0, 1, 2, 8]}, why=f"{CAPITALS}; {BLANK}"),
    Golden("147", 2021, {"episodes": {"DEC": ["01/01/2021", "19/02/2010", "38/04/2019", "01/01/19", NA]}},
           {"episodes": [2, 3]}, parse_dates=False),
    Golden("148", 2021, {"episodes": {
        "CHILD": ["111", "111", "111", "111", "222", "333", "333", "444", "444", "444"],
        "DECOM": ["01/06/2020", "05/06/2020", "06/06/2020", "08/06/2020", "05/06/2020", "06/06/2020", "07/06/2020",
                  "08/06/2020", "09/06/2020", "15/06/2020"],
        "DEC": ["04/06/2020", "06/06/2020", NA, "05/06/2020", "06/06/2020", "07/06/2020", NA, "09/06/2020",
                "10/06/2020", NA],
        "REC": [NA, "X1", "X1", "X1", NA, "E11", NA, "X1", "E11", NA]}}, {"episodes": [0, 2, 4]}),
    Golden("149", 2021, {"episodes": {"REC": ["E4A", "E4b", "X", "", NA]}}, {"episodes": [2]},
           why=f"{CAPITALS}; {BLANK}"),
    Golden("180", 2021, {"oc2": {"SDQ_SCORE": ["10", 41, "58", 72, "0", 40, 39.5, 20.0, NA, "XX"]}},
           {"oc2": [1, 2, 3, 6, 9]}),
    Golden("181", 2021, {"oc2": {
        "CONVICTED": [1, NA, NA, "2", "2"], "HEALTH_CHECK": [1, NA, NA, 2, "2"],
        "IMMUNISATIONS": [1, NA, NA, NA, "2"], "TEETH_CHECK": ["1", NA, "0", NA, "2"],
        "HEALTH_ASSESSMENT": ["1", NA, 1, NA, "2"], "SUBSTANCE_MISUSE": [0, NA, 0, "1", "2"],
        "INTERVENTION_RECEIVED": [0, NA, "1", 1, "2"], "INTERVENTION_OFFERED": ["1", NA, NA, 0, "2"]}},
        {"oc2": [3, 4]}),
    Golden("182", 2021, {"oc2": {
        "IMMUNISATIONS": [NA, NA, NA, "1", NA, "1", NA, "1"], "TEETH_CHECK": [NA, NA, NA, "1", NA, "1", "1", "1"],
        "HEALTH_ASSESSMENT": [NA, NA, NA, "1", NA, "1", NA, "1"],
        "SUBSTANCE_MISUSE": [NA, NA, NA, NA, NA, "1", "1", "1"], "CONVICTED": [NA, "1", NA, NA, NA, "1", "1", NA],
        "HEALTH_CHECK": [NA, NA, "1", NA, NA, "1", "1", NA],
        "INTERVENTION_RECEIVED": [NA, NA, NA, "1", NA, "1", "1", NA],
        "INTERVENTION_OFFERED": [NA, NA, NA, NA, "1", "1", "1", NA]}}, {"oc2": [1, 2, 3, 4, 6]}),
    Golden("186", 1981, {
        "episodes": {"CHILD": [str(c) for c in (1, 1, 2, 3, 4, 5, 6, 7, 8, 9)],
                     "DECOM": ["31/03/1980", "31/12/1980", "31/03/1980", "31/03/1980", "31/03/1980", "31/03/1980",
                               "31/03/1980", "31/05/1980", "31/03/1980", "31/03/1980"],
                     "DEC": ["31/12/1980", NA, NA, NA, NA, NA, NA, NA, "30/03/1981", NA],
                     "LS": ["C2"] * 9 + ["V4"], "REC": ["X1", NA, NA, NA, NA, NA, NA, NA, "E4a", NA],
                     "RNE": ["o"] * 7 + ["S", "o", "o"]},
        "oc2": {"CHILD": [str(c) for c in range(1, 11)],
                "DOB": ["01/04/1970"] * 4 + ["01/04/1960", "01/04/1978"] + ["01/04/1970"] * 4,
                "SDQ_SCORE": ["10", "1O"] + [NA] * 8, "SDQ_REASON": ["SDQ1", NA, "SDQ2"] + [NA] * 7}},
        {"oc2": [3]}),
    Golden("190", 1981, {"episodes": CONTINUITY_EPISODES, "oc2": {
        "CHILD": ["9999999999", "1", "2", "3333", "99999999", "8888", "5"],
        "CONVICTED": ["!!!", "OK", NA, NA, NA, "!!!", "OK"]}}, {"oc2": [0, 5]}),
    Golden("191", 1981, {"episodes": CONTINUITY_EPISODES, "oc2": {
        "CHILD": ["9999999999", "1", "2", "3333", "99999999", "8888", "5"],
        "IMMUNISATIONS": ["OK", NA, "OK", NA, NA, "OK", NA],
        **{c: ["Filled In!"] * 7 for c in ("HEALTH_CHECK", "CONVICTED", "TEETH_CHECK", "HEALTH_ASSESSMENT",
                                             "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")}}},
        {"oc2": [1, 6], "episodes": [3]}),
    Golden("344", 2021, {"oc3": {"CHILD": list("ABCDEF"), "IN_TOUCH": ["DIED", "Yes", "RHOM", NA, "DIED", "RHOM"],
                                 "ACTIV": ["0", NA, "XXX", NA, "XXX", NA], "ACCOM": [0, NA, 0, "XXX", "XXX", 0]}},
           {"oc3": [2, 4, 5]}),
    Golden("345", 2021, {"oc3": {"CHILD": list("ABCDE"), "IN_TOUCH": ["No", "YES", "YES", NA, "Yes"],
                                 "ACTIV": [NA, 0, "XXX", NA, "XXX"], "ACCOM": [0, NA, "0", "XXX", "XXX"]}},
           {"oc3": [1, 2]}),
    Golden("354", 2021, {"episodes": {"DECOM": ["01/01/2021", "19/02/2010", "38/04/2019", "01/01/2022", "01/04/2021",
                                                "01/05/2021", NA, "3rd Dec 1873"]}}, {"episodes": [3, 4, 5]},
           why="the validator's test ends its year on 1 April; a collection year ends on 31 March, so an episode "
               "starting 1 April 2021 is after the end of 2020-21"),
    Golden("355", 2021, {"episodes": {
        "DECOM": ["01/01/2000", "01/02/2000", "01/03/2000", "01/04/2000", "01/05/2000", "01/06/2000", "04/05/2000"],
        "DEC": ["01/01/2000", "01/03/2000", NA, "01/04/2000", "03/05/2000", "01/06/2000", "01/05/2000"]}},
        {"episodes": [0, 3, 5]}),
    Golden("356", 2021, {"episodes": {"DECOM": ["14/03/2021", "16/06/2019", "03/10/2020", "07/09/2021"],
                                      "DEC": ["08/12/2020", "24/08/2021", NA, "07/09/2021"]}}, {"episodes": [0]}),
    Golden("357", 1996, {"episodes": {
        "CHILD": ["000", "111", "111", "222", "222", "222", "333", "333", "333", "444", "555"],
        "DECOM": ["01/01/2001", "11/11/2011", "01/01/2000", "11/11/2011", NA, "01/01/2001", "12/12/2012",
                  "01/01/2001", "05/05/2005", "05/05/2005", "01/01/1990"],
        "RNE": ["!!", "ok", "S", "ok", "ok", "S", "ok", "!!", "ok", NA, "ok"]}}, {"episodes": [0, 7, 9]},
        why="the validator's test starts its year on 31 March 1995; a collection year starts on 1 April"),
    Golden("380", 2021, {"episodes": {"RNE": ["S", "L", "P", "B", "P", NA],
                                      "PLACE": ["U1", "T0", "U2", "Z1", "T1", NA]}}, {"episodes": [1]}),
    Golden("381", 2021, {"episodes": {"REC": ["X1", "PR1", "X1", NA, "X1", NA],
                                      "PLACE": ["T3", "T0", "U2", "T2", "T1", NA]}}, {"episodes": [1]}),
    Golden("383", 2023, {"episodes": EPISODES_383}, {"episodes": [2, 6]}),
    Golden("383", 2026, {"episodes": EPISODES_383_2026}, {"episodes": [2, 6, 15]}),
    Golden("388", 2021, {"episodes": {
        **CHAIN_142_388,
        "DEC": ["04/06/2020", "06/06/2020", "08/06/2020", "05/06/2020", "06/06/2020", "07/06/2020", NA, "09/06/2020",
                "10/06/2020", NA, "12/06/2020", "13/06/2020", "14/06/2020", "15/06/2020", "16/06/2020", "17/06/2020",
                "18/06/2020", NA, NA, NA, NA],
        "REC": ["X1", "X1", "X1", "X1", NA, "E11", NA, "X1", "E11", NA, "X1", "X1", "X1", "X1", "X1", "X1", "X1", NA,
                NA, NA, NA]}}, {"episodes": [0, 3, 5, 10, 14]}),
    Golden("391", 2018, {"oc3": {"CHILD": list("ABCDE"),
                                 "DOB": ["01/01/2001", "01/01/2016", "20/12/1997", "01/01/2002", "03/01/2004"],
                                 "IN_TOUCH": ["DIED", "Yes", "RHOM", NA, NA], "ACTIV": [NA, NA, "XXX", NA, NA],
                                 "ACCOM": [NA, NA, NA, "XXX", NA]}}, {"oc3": [1, 3]}),
    Golden("431", 2021, {"episodes": {
        "CHILD": ["111", "111", "111", "111", "222", "333", "333", "444", "444", "444", "555", "6666", "6666", "6666"],
        "RNE": ["S", "S", "T", "S", "S", "S", "S", "S", "S", "S", "S", "S", "S", "S"],
        "DECOM": ["01/06/2020", "05/06/2020", "06/06/2020", "08/06/2020", "05/06/2020", "06/06/2020", "10/06/2020",
                  "08/06/2020", "09/06/2020", "15/06/2020", "11/06/2020", "12/06/2020", "13/06/2020", "14/06/2020"],
        "DEC": ["04/06/2020", "06/06/2020", "08/06/2020", "05/06/2020", "06/06/2020", "07/06/2020", NA, "09/06/2020",
                "10/06/2020", NA, "12/06/2020", "13/06/2020", "14/06/2020", "15/06/2020"]}},
        {"episodes": [3, 8, 12, 13]}),
    Golden("433", 2022, {"episodes": {
        "CHILD": ["101", "102", "102", "103", "103", "103"],
        "DECOM": ["20/10/2021", "19/11/2021", "17/06/2021", "04/04/2020", "11/09/2020", "07/05/2021"],
        "RNE": ["S", "P", "P", "B", "B", "B"],
        "DEC": ["20/11/2021", NA, "19/11/2021", "12/09/2020", "06/05/2021", NA]}}, {"episodes": [4, 5]}),
    Golden("434", 2021, {"episodes": {
        "CHILD": ["111", "111", "111", "111", "222", "222", "222", "222", "333", "333"],
        "DECOM": ["01/01/2020", "01/02/2020", "01/12/2020", "01/03/2020", "01/01/2020", "01/02/2020", "01/03/2020",
                  "01/04/2020", "01/03/2020", "01/04/2020"],
        "RNE": ["L", "P", "L", "P", "L", "L", "L", "L", "P", "L"],
        "LS": ["--", "--", "--", "--", "--", "xx", "oo", "oo", "C1", "C2"],
        "PL_POST": ["ooo", "ooo", "ooo", "ooo", "---", "---", "---", "xxx", "---", "---"],
        "URN": ["---", "---", "---", "---", "---", "---", "xxx", "xxx", NA, NA],
        "PLACE": ["---"] * 10, "PLACE_PROVIDER": ["---"] * 10}}, {"episodes": [2, 6, 7]}),
    Golden("435", 2021, {"episodes": {
        "CHILD": ["111", "111", "111", "111", "222", "222", "222"],
        "DECOM": ["01/06/2020", "03/06/2020", "04/06/2020", "05/06/2020", "07/06/2020", "08/06/2020", "09/06/2020"],
        "RNE": ["P"] * 7, "LS": ["L1"] * 6 + ["L3"],
        "PL_POST": ["XX1", "XX3", "XX3", "XX1", "XX1", "XX1", "XX1"], "URN": ["SC112"] * 7, "PLACE": ["R1"] * 7,
        "PLACE_PROVIDER": ["PR1", "PR1", "PR1", "PR1", "PR4", "PR1", "PR1"]}}, {"episodes": [2, 6]}),
    Golden("436", 2021, {"episodes": EPISODES_436}, {"episodes": [2, 8, 9, 13, 16]}),
    Golden("437", 2022, {"episodes": {
        "CHILD": ["101", "102", "102", "103", "103", "103", "104", "104", "104", "104", "105", "105"],
        "DECOM": ["20/10/2021", "19/11/2021", "17/06/2021", "04/04/2020", "11/09/2020", "07/05/2021", "15/02/2020",
                  "09/04/2020", "24/09/2020", "30/06/2021", NA, "20/12/2020"],
        "REC": ["E2", "E15", "X1", "X1", "E15", NA, "X1", "E4a", "X1", NA, "E2", "X1"]}}, {"episodes": [4]}),
    Golden("501", 2021, {"episodes": {
        "CHILD": ["111", "111", "111", "111", "222", "333", "333", "444", "444", "444"],
        "DECOM": ["01/06/2020", "02/06/2020", "06/06/2020", "08/06/2020", "10/06/2020", "04/06/2020", "05/06/2020",
                  "08/06/2020", "08/06/2020", "15/06/2020"],
        "DEC": ["04/06/2020", "06/06/2020", NA, "09/06/2020", "11/06/2020", "07/06/2020", NA, "09/06/2020",
                "10/06/2020", NA]}}, {"episodes": [1, 6, 8]}),
    Golden("542", 2020, {"oc2": {"DOB": ["08/03/2020", "22/06/2000", NA, "13/10/2000", "10/01/2017"],
                                 "CONVICTED": [1, NA, 1, 1, 1]}}, {"oc2": [0, 4]}),
    Golden("543", 1981, {"episodes": AGE_EPISODES, "oc2": {
        "CHILD": ["101", "102", "103", "104", "105", "106", "107", "333"],
        "DOB": ["08/03/1973", "22/06/1968", NA, "13/10/1968", "10/01/1966", "01/01/1965", "01/01/1965", "01/01/1965"],
        "CONVICTED": [NA, NA, NA, 1, NA, NA, NA, NA]}}, {"oc2": [1, 4]}),
    Golden("545", 1981, {"episodes": AGE_EPISODES, "oc2": {
        "CHILD": ["101", "102", "103", "104", "105", "106", "107", "333"],
        "DOB": ["08/03/1973", "22/06/1977", NA, "13/10/2000", "10/01/1978", "01/01/1978", "01/01/1978", "01/01/1978"],
        "HEALTH_CHECK": [NA, NA, NA, 1, NA, NA, NA, NA]}}, {"oc2": [1, 4]}),
    Golden("546", 1981, {"episodes": {
        "CHILD": ["101", "102", "103", "104", "105"],
        "DECOM": ["01/03/1980", "01/03/1980", "01/03/1980", "01/02/1970", "01/03/1979"],
        "DEC": ["31/03/1981", "30/03/1981", "01/01/1981", NA, "01/01/1981"], "LS": ["o", "o", "V3", "o", "o"],
        "REC": ["X1", "X1", "X1", "!!", "X1"], "RNE": ["o"] * 5}, "oc2": {
        "CHILD": ["101", "102", "103", "104", "105"],
        "DOB": ["08/03/1963", "22/06/1957", NA, "13/10/2000", "10/01/1948"],
        "HEALTH_CHECK": [1, 1, NA, 1, NA]}}, {"oc2": [0, 1]}),
]


def _found(case: Golden) -> set[tuple[str, str, int, str]]:
    tables = {name: frame(name, columns, case.year, case.parse_dates) for name, columns in case.tables.items()}
    return {(p.rule, p.table, p.row, p.child) for p in check(return_903({case.year: tables})) if p.rule == case.rule}


@pytest.mark.parametrize("case", GOLDEN, ids=str)
def test_each_rule_flags_the_rows_dfe_says(case: Golden):
    """The rule flags exactly the rows DfE's validator's test says, each named by table, row and child."""
    expected = set()
    for table, positions in case.flagged.items():
        children = case.tables[table].get("CHILD")
        for position in positions:
            child = children[position] if children else None
            expected.add((case.rule, table, position + HEADER_ROW + 1, "" if child is None else str(child)))
    assert _found(case) == expected


def test_every_rule_the_issue_names_is_checked_and_has_a_golden_case():
    asked = {"101", "102", "103", "141", "142", "143", "144", "145", "146", "147", "148", "149", "131", "132", "133",
             "180", "181", "182", "186", "190", "191", "344", "345", "354", "355", "356", "357", "380", "381", "383",
             "388", "391", "431", "433", "434", "435", "436", "437", "501", "545", "546", "542", "543"}
    assert asked <= set(CODES)
    assert asked <= {case.rule for case in GOLDEN}
    for rule in RULES:  # every version of a rule DfE changed has its own case, in a year it applies to
        assert any(case.rule == rule.code and rule.applies_to(case.year) for case in GOLDEN), rule


def test_each_rule_names_only_tables_and_measures_that_exist():
    measures = {m.code for m in catalogue().measures}
    for rule in RULES:
        assert set(rule.tables) <= set(TABLE), rule.code
        assert set(rule.measures) <= measures, (rule.code, set(rule.measures) - measures)


def test_one_version_of_each_rule_per_year():
    for year in (2020, 2023, 2024, 2025, 2026, 2027):
        codes = [rule.code for rule in rules_for(year)]
        assert len(codes) == len(set(codes)) == len(CODES)


def test_each_year_is_checked_against_its_own_year_and_named_by_its_file():
    """An episode starting in May 2024 is after the end of 2023-24 but inside 2024-25: only the 2023-24 file's
    row is a problem, and the problem names that file, its row, the child and the year."""
    episodes = {"CHILD": ["A1", "B2"], "DECOM": ["01/05/2023", "01/05/2024"], "RNE": ["S", "S"]}
    ret = return_903({2024: {"episodes": frame("episodes", episodes, 2024)},
                      2025: {"episodes": frame("episodes", episodes, 2025)}})
    found = [p for p in check(ret) if p.rule == "354"]
    assert found == [Problem903("354", "episodes", 3, "B2",
                                "Date episode ceased must be on or before the end of the current collection year.",
                                "2023-24/episodes.csv", 2024)]


def test_a_rule_dfe_changed_is_checked_as_it_stood_that_year():
    """Sex was 1/2 up to 2023-24 and M/F/U from 2024-25: each year's header is checked by its own list."""
    header = {"CHILD": ["A1", "B2"], "SEX": ["1", "M"], "DOB": ["01/01/2010", "01/01/2011"]}
    ret = return_903({2024: {"header": frame("header", header, 2024)}, 2025: {"header": frame("header", header, 2025)}})
    found = {(p.collection_year, p.child, p.message) for p in check(ret) if p.rule == "101"}
    assert found == {(2024, "B2", "Gender code is not valid."),
                     (2025, "A1", "The child or young person’s reported sex is not valid.")}


def test_rows_are_named_whatever_index_the_frames_carry():
    """Frames joined across years without a fresh index (two rows labelled 0) still name each problem's row."""
    a = frame("oc3", {"CHILD": ["A1"], "DOB": ["01/01/2000"], "IN_TOUCH": ["MAYBE"], "ACTIV": ["0"], "ACCOM": ["0"]},
              2024)
    b = frame("oc3", {"CHILD": ["B2"], "DOB": ["01/01/2001"], "IN_TOUCH": ["YES"], "ACTIV": ["F1"], "ACCOM": ["Q9"]},
              2025)
    ret = return_903({2024: {}, 2025: {}})
    tables = dict(ret.tables, oc3=pd.concat([a, b]))  # both rows keep the label 0
    found = {(p.rule, p.child, p.row, p.collection_year)
             for p in check(Return903(ret.area_code, (2024, 2025), ret.files, tables))}
    assert found == {("131", "A1", 2, 2024), ("133", "B2", 2, 2025)}


def test_dates_the_reader_parsed_are_checked_as_dates():
    """A blank date of birth breaks 102; a blank end of episode is no invalid date (141/147 are for text that is
    not a date, which the reader refuses before any rule runs)."""
    header = frame("header", {"CHILD": ["A1", "B2"], "SEX": ["M", "F"], "DOB": ["01/01/2010", NA],
                              "ETHNIC": ["WBRI", "WBRI"]}, 2025)
    episodes = frame("episodes", {"CHILD": ["A1"], "DECOM": ["01/05/2024"], "RNE": ["S"], "DEC": [NA]}, 2025)
    found = {(p.rule, p.child) for p in check(return_903({2025: {"header": header, "episodes": episodes}}))}
    assert ("102", "B2") in found and ("102", "A1") not in found
    assert not {rule for rule, _ in found} & {"141", "147"}


def test_two_episodes_starting_the_same_day_stay_in_the_files_order():
    """As DfE's validator orders them (checked against it on generated sets): the second in the file is the
    one that starts before the first ended (501), whichever ends first."""
    episodes = frame("episodes", {"CHILD": ["A1", "A1"], "DECOM": ["01/05/2020", "01/05/2020"],
                                  "DEC": ["10/05/2020", "03/05/2020"], "RNE": ["S", "P"], "REC": ["X1", "E11"]}, 2021)
    found = {(p.rule, p.row) for p in check(return_903({2021: {"episodes": episodes}}))}
    assert ("501", 3) in found and ("501", 2) not in found


def test_a_placement_change_with_no_legal_status_either_side_breaks_435():
    """DfE's validator reads a blank legal status as never the same as the one before (rule 435)."""
    episodes = frame("episodes", {"CHILD": ["A1", "A1"], "DECOM": ["01/05/2020", "10/05/2020"],
                                  "DEC": ["10/05/2020", NA], "RNE": ["S", "P"], "REC": ["X1", NA],
                                  "PLACE": ["U1", "U4"], "LS": [NA, NA]}, 2021)
    found = {(p.rule, p.row) for p in check(return_903({2021: {"episodes": episodes}}))}
    assert ("435", 3) in found


def test_a_figure_can_say_which_of_its_children_have_a_problem_touching_it():
    """A placement code DfE does not list (146) touches the placement measures, not the care leavers'; an
    invalid ethnicity (103) touches no measure."""
    header = frame("header", {"CHILD": ["A1", "B2"], "SEX": ["M", "F"], "DOB": ["01/01/2010", "01/01/2011"],
                              "ETHNIC": ["WBRI", "??"]}, 2025)
    episodes = frame("episodes", {"CHILD": ["A1"], "DECOM": ["01/05/2024"], "RNE": ["S"], "LS": ["C2"],
                                  "PLACE": ["Q7"]}, 2025)
    problems = check(return_903({2025: {"header": header, "episodes": episodes}}))
    assert children_touched(problems, "stab_3plus_pct") == {"A1"}
    assert children_touched(problems, "stab_3plus_pct", years=(2024,)) == frozenset()
    assert children_touched(problems, "cl_eet_17_18") == frozenset()
    assert all("B2" not in children_touched(problems, m.code) for m in catalogue().measures)
