"""A small SSDA903 return written as DfE's CSV tables (or its XML form), for the 903 tests: three children in
one collection year, with postcodes and dates of birth a test can look for afterwards."""

from __future__ import annotations

from pathlib import Path

from loaders.ssda903.model import TABLE

CHILDREN = ("C7001", "C7002", "C7003")
DOBS = ("14/02/2011", "09/09/2013", "30/06/2009")
POSTCODES = ("ZZ9 1AB", "ZZ9 2CD", "ZZ9 3EF", "ZZ9 4GH")
HEADER = [[CHILDREN[0], "M", DOBS[0], "WBRI", "A123456789012", "", ""],
          [CHILDREN[1], "F", DOBS[1], "WBRI", "", "", ""],
          [CHILDREN[2], "F", DOBS[2], "MWBC", "", "", ""]]
EPISODES = [[CHILDREN[0], "01/05/2024", "S", "C2", "N1", "U4", "PR1", "", "", "", POSTCODES[0], POSTCODES[1], ""],
            [CHILDREN[1], "10/06/2022", "S", "C1", "N2", "K2", "PR4", "02/09/2024", "X1", "", POSTCODES[2], POSTCODES[3], ""],
            [CHILDREN[1], "02/09/2024", "P", "C1", "N2", "U6", "PR1", "", "", "CARPL", POSTCODES[2], POSTCODES[0], ""],
            [CHILDREN[2], "03/03/2020", "S", "E1", "N1", "A6", "PR1", "01/12/2024", "E11", "", POSTCODES[1], POSTCODES[2], ""]]
REVIEWS = [[CHILDREN[0], DOBS[0], "15/08/2024", "PN1"], [CHILDREN[1], DOBS[1], "20/10/2024", "PN3"]]


def csv_text(columns, rows, delimiter: str = ",") -> str:
    lines = [delimiter.join(columns)] + [delimiter.join(str(v) for v in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def write_table(path: Path, table: str, rows, columns=None, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = csv_text(columns or TABLE[table].columns, rows, delimiter)
    path.write_bytes(text.encode(encoding))
    return path


def write_set(folder: Path, year_folder: str = "2024-25", episodes=None, header=None) -> Path:
    """Header, Episodes and Reviews of one year in ``folder/year_folder``; the folder is returned."""
    where = folder / year_folder if year_folder else folder
    write_table(where / "header.csv", "header", HEADER if header is None else header)
    write_table(where / "episodes.csv", "episodes", EPISODES if episodes is None else episodes)
    write_table(where / "reviews.csv", "reviews", REVIEWS)
    return folder


def write_xml(path: Path) -> Path:
    """The same children in the 903's XML form (CHILDID and PL for CHILD and PLACE)."""
    children = []
    for header in HEADER:
        child, sex, dob, ethnic = header[:4]
        episodes = "".join(
            f"<EPISODE><DECOM>{e[1]}</DECOM><RNE>{e[2]}</RNE><LS>{e[3]}</LS><CIN>{e[4]}</CIN><PL>{e[5]}</PL>"
            f"<PLACE_PROVIDER>{e[6]}</PLACE_PROVIDER><DEC>{e[7]}</DEC><REC>{e[8]}</REC><HOME_POST>{e[10]}</HOME_POST>"
            f"<PL_POST>{e[11]}</PL_POST></EPISODE>" for e in EPISODES if e[0] == child)
        reviews = "".join(f"<AREVIEW><REVIEW>{r[2]}</REVIEW><REVIEW_CODE>{r[3]}</REVIEW_CODE></AREVIEW>"
                          for r in REVIEWS if r[0] == child)
        children.append(f"<CHILD><HEADER><CHILDID>{child}</CHILDID><SEX>{sex}</SEX><DOB>{dob}</DOB>"
                        f"<ETHNIC>{ethnic}</ETHNIC>{reviews}</HEADER>{episodes}</CHILD>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<?xml version='1.0' encoding='utf-8'?><EXPSSDA903>{''.join(children)}</EXPSSDA903>")
    return path
