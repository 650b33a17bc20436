"""DfE's code lists that decide the 903 measures: each written once, with DfE's wording beside it.

Every measure module takes its codes from here, and the "How this is computed" text quotes the same
wording, so what a page says and what the code does cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeList:
    """A set of 903 codes with what they mean in DfE's words and where DfE says so."""

    name: str
    column: str  # the 903 column the codes are in
    codes: frozenset[str]
    meaning: str  # in DfE's wording
    source: str  # where the wording comes from


def _codes(*codes: str) -> frozenset[str]:
    return frozenset(codes)


SHORT_BREAKS = CodeList(
    "short_breaks", "LS", _codes("V3", "V4"),
    "V3 accommodated under an agreed series of short-term breaks, when individual episodes are recorded; "
    "V4 the same, when agreements are recorded. \"Figures exclude children looked after under an agreed "
    "series of short-term placements.\"",
    "DfE 903 guide, legal status codes; LAIT data dictionary (LACStable_2016on, LACDistance)")
FOSTER = CodeList(
    "foster", "PLACE", _codes("U1", "U2", "U3", "U4", "U5", "U6"),
    "U1-U3 foster placement with a relative or friend; U4-U6 foster placement with other foster carer",
    "DfE 903 guide, placement codes; LAIT LAC_Foster_Placements")
TEMPORARY = CodeList(
    "temporary", "PLACE", _codes("T0", "T1", "T2", "T3", "T4"),
    "Temporary placements: T0 all types of temporary move, T1 temporary periods in hospital, T2 temporary "
    "absence on holiday, T3 temporary accommodation while the normal foster carer is away, T4 other temporary "
    "move of 7 days or less. A temporary placement must be followed by a return to the normal placement.",
    "DfE 903 guide, placement codes; DfE validation rules 380, 381, 383")
ADOPTION = CodeList(
    "adoption", "PLACE", _codes("A3", "A4", "A5", "A6"),
    "Placed for adoption (A3/A5 with the current foster carer, A4/A6 not with the current foster carer)",
    "DfE 903 guide, placement codes; LAIT LAC_LongStable%")
ADOPTION_SAME_CARERS = CodeList(
    "adoption_same_carers", "PLACE", _codes("A3", "A5"),
    "Placed for adoption with the current foster carer(s). \"Where a child is subsequently placed for adoption "
    "with their existing foster carers, this is not counted as a placement change.\"",
    "DfE 903 guide, placement codes; LAIT LACStable_2016on")
NEW_PLACEMENT = CodeList(
    "new_placement", "RNE", _codes("S", "P", "B", "T", "U"),
    "Reasons for a new episode that begin a placement: S started to be looked after; P change of placement and "
    "carer(s) only; B change of legal status and placement and carer(s); T change of placement (same carer(s)) "
    "only; U change of legal status and placement (same carer(s)). L (change of legal status only) is not.",
    "DfE 903 guide, reason for new episode codes")
STILL_LOOKED_AFTER = CodeList(
    "still_looked_after", "REC", _codes("X1"),
    "X1 episode ceases and a new one begins on the same day, for any reason: the child is still looked after",
    "DfE 903 guide, reason episode ceased codes")
EET = CodeList(
    "eet", "ACTIV", _codes("F1", "P1", "F2", "P2", "F3", "P3", "F4", "P4", "F5", "P5"),
    "In higher education, other education, training or employment (full time F, part time P); F3/P3 are "
    "codes of earlier years still accepted",
    "DfE 903 guide, OC3 activity codes; LAIT CareLeaverEET")
NEET = CodeList(
    "neet", "ACTIV", _codes("G4", "G5", "G6"),
    "Not in education, employment or training: G4 because of illness or disability, G5 other reasons, "
    "G6 because of pregnancy or parenting",
    "DfE 903 guide, OC3 activity codes")
ACTIVITY_NOT_KNOWN = CodeList(
    "activity_not_known", "ACTIV", _codes("0"),
    "0: activity not known", "DfE 903 guide, OC3 activity codes")
LEAVER_EXCLUDED = CodeList(
    "leaver_excluded", "IN_TOUCH", _codes("DIED", "RHOM"),
    "\"Exclude young people … [who] have died and those who have returned home to their parents or someone "
    "with parental responsibility for a continuous period of at least 6 months\"",
    "LAIT data dictionary (CareLeaverEET, NoCareLeavers); OC3 IN_TOUCH codes")
ACCOM_EXCLUDED = CodeList(
    "accom_excluded", "ACCOM", _codes("G", "H", "R"),  # the letter of the code: G1/G2, H1/H2, R1/R2
    "\"Also exclude young people who have gone abroad (G) or been deported (H), or their residence is not "
    "known (R)\"",
    "LAIT data dictionary (CareLeaverAcc); OC3 ACCOM codes")
SUITABLE = CodeList(
    "suitable", "ACCOM", _codes("1"),  # the second character of the code
    "The accommodation code's second character: 1 considered suitable, 2 considered not suitable; 0 alone "
    "is not known", "DfE 903 guide, OC3 ACCOM codes")
PARTICIPATED = CodeList(
    "participated", "REVIEW_CODE", _codes("PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"),
    "PN1-PN7: the child participated in the review (in person, through an advocate, by a view conveyed, "
    "by a facilitative medium or by other means); PN0 child under 4 at the review",
    "DfE 903 guide, participation codes")
MISSING = CodeList(
    "missing", "MISSING", _codes("M"),
    "M missing from placement (A is away from placement without authorisation, not counted as missing)",
    "DfE 903 guide, Missing table")
