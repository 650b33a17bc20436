"""DfE's rules on OC3: care leavers aged 17 to 21, whether the council is in touch, their activity and
accommodation."""

from __future__ import annotations

import loaders.ssda903.rules.codes as codes
from loaders.ssda903.rules.context import YearOf903
from loaders.ssda903.rules.registry import ACCOMMODATION, ACTIVITY, CARE_LEAVERS, Flags, Rule903, flagged

ANSWERS = ["IN_TOUCH", "ACTIV", "ACCOM"]


def _not_in(column: str, allowed: tuple[str, ...]):
    """A rule flagging each care leaver whose ``column`` is blank or not one of ``allowed``."""
    def flags(year: YearOf903) -> Flags:
        oc3 = year.table("oc3")
        return {"oc3": flagged(oc3, ~oc3[column].isin(allowed))}
    return flags


def _activity_after_death_or_home(year: YearOf903) -> Flags:
    oc3 = year.table("oc3")
    answered = (oc3["ACTIV"] != codes.NOT_KNOWN) | (oc3["ACCOM"] != codes.NOT_KNOWN)  # a blank is not 0 either
    return {"oc3": flagged(oc3, oc3["IN_TOUCH"].isin(codes.IN_TOUCH_NO_ACTIVITY) & answered)}


def _in_touch_but_nothing_known(year: YearOf903) -> Flags:
    oc3 = year.table("oc3")
    nothing = (oc3["ACTIV"] == codes.NOT_KNOWN) | (oc3["ACCOM"] == codes.NOT_KNOWN)
    return {"oc3": flagged(oc3, (oc3["IN_TOUCH"] == "YES") & nothing)}


def _too_young(year: YearOf903) -> Flags:
    oc3 = year.table("oc3")
    under_17 = year.birthday("oc3", 17) > year.end
    return {"oc3": flagged(oc3, under_17 & oc3[ANSWERS].notna().any(axis=1))}


RULES = (
    Rule903("131", "Data entry for being in touch after leaving care is invalid.", ("oc3",), CARE_LEAVERS,
            _not_in("IN_TOUCH", codes.IN_TOUCH)),
    Rule903("132", "Data entry for activity after leaving care is invalid.", ("oc3",), ACTIVITY,
            _not_in("ACTIV", codes.ACTIV)),
    Rule903("133", "Data entry for accommodation after leaving care is invalid. If reporting on a childs "
            "accommodation after leaving care the data entry must be valid", ("oc3",), ACCOMMODATION,
            _not_in("ACCOM", codes.ACCOM)),
    Rule903("344", "The record shows the young person has died or returned home to live with parent(s) or someone "
            "with parental responsibility for a continuous period of 6 months or more, but activity and/or "
            "accommodation on leaving care have been completed.", ("oc3",), CARE_LEAVERS,
            _activity_after_death_or_home),
    Rule903("345", "The data collection record shows the local authority is in touch with this young person, but "
            "activity and/or accommodation data items are zero.", ("oc3",), CARE_LEAVERS, _in_touch_but_nothing_known),
    Rule903("391", "Young person was not 17, 18, 19, 20 or 21 during the current collection year.", ("oc3",),
            CARE_LEAVERS, _too_young),
)
