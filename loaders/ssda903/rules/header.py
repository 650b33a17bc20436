"""DfE's rules on the Header table: the child's sex, date of birth and ethnicity."""

from __future__ import annotations

import loaders.ssda903.rules.codes as codes
from loaders.ssda903.rules.context import YearOf903
from loaders.ssda903.rules.registry import BY_AGE, Flags, Rule903, flagged


def _not_in(table: str, column: str, allowed: tuple[str, ...]):
    """A rule flagging each row whose ``column`` is blank or not one of ``allowed``."""
    def flags(year: YearOf903) -> Flags:
        frame = year.table(table)
        return {table: flagged(frame, ~frame[column].isin(allowed))}
    return flags


def _dob_not_a_date(year: YearOf903) -> Flags:
    header = year.table("header")
    return {"header": flagged(header, header["DOB"].isna() | year.not_a_date("header", "DOB"))}


RULES = (
    Rule903("101", "Gender code is not valid.", ("header",), (), _not_in("header", "SEX", codes.SEX_TO_2024),
            last_year=2024),
    Rule903("101", "The child or young person’s reported sex is not valid.", ("header",), (),
            _not_in("header", "SEX", codes.SEX_FROM_2025), first_year=2025),
    Rule903("102", "Date of birth is not a valid date.", ("header",), BY_AGE, _dob_not_a_date),
    Rule903("103", "The ethnicity code is either not valid or has not been entered.", ("header",), (),
            _not_in("header", "ETHNIC", codes.ETHNIC)),
)
