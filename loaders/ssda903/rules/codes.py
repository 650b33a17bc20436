"""DfE's code lists that the validation rules check against, as data, with the years they changed.

Years are collection years ending 31 March (2025 is 2024-25). Sources: DfE's validator
(data-to-insight/csc-validator-be-903, ``lac_validator/rules/lac20xx_yy/rule_NNN.py``) for each year.
"""

from __future__ import annotations

from metrics.ssda903.codes import TEMPORARY as TEMPORARY_PLACEMENTS

# RNE, LS, PLACE and REC, year by year, are read from the one list the reader checks too:
# loaders.ssda903.codes.allowed(field, year), from data/ssda903/codes.csv.

SEX_TO_2024 = ("1", "2")  # 1 male, 2 female: up to 2023-24
SEX_FROM_2025 = ("M", "F", "U")  # the child's reported sex from 2024-25 (U: not known; DfE's rule 232 checks its use)
ETHNIC = ("WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
          "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT")

RNE_CONTINUES = ("P", "L", "T", "U", "B")  # every reason but S: the child was already looked after the day before
CIN = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
TEMPORARY = tuple(sorted(TEMPORARY_PLACEMENTS.codes))  # T0-T4: the measures' list, with DfE's wording (metrics.ssda903.codes)
REC_NO_FURTHER_EPISODE = ("E2", "E15")  # died; age assessment found the child 18 or over

OC2_FLAGS = ("CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
             "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")  # 0 or 1 each
OC2_ALWAYS = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")  # for every child in OC2's cohort
OC2_SOMETIMES = ("CONVICTED", "HEALTH_CHECK", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")  # by age or answer
YES_NO = ("0", "1")
SDQ_MAX = 40

IN_TOUCH = ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM")
IN_TOUCH_NO_ACTIVITY = ("DIED", "RHOM")  # died; returned home for 6 months or more: no activity or accommodation
ACTIV = ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0")
ACCOM = ("B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "G1", "G2", "H1", "H2", "K1", "K2", "R1", "R2", "S2", "T1",
         "T2", "U1", "U2", "V1", "V2", "W1", "W2", "X2", "Y1", "Y2", "Z1", "Z2", "0")
NOT_KNOWN = "0"
