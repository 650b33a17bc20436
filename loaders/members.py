"""The files of a set: given as several files, as one folder or as one zip, each named as the set names it.

A set's files keep the folder they sit in inside the folder or zip ("2024-25/Episodes.csv"), because
that is where a return like the SSDA903 says which collection year a table belongs to. A zip is
unpacked into a temporary folder within the same cap on uncompressed bytes as a workbook, and a member
whose name would reach outside that folder is refused. Files the operating system leaves behind
(``.DS_Store``, ``__MACOSX``, Excel's ``~$`` lock files) are not part of any set.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from tempfile import TemporaryDirectory

from loaders.package import ZIP_FAILURES, Package
from loaders.problems import Problem, Rule
from loaders.report import sha256_of
from loaders.sheets import NotAWorkbook
from loaders.workbook import default_cap

LEFT_BEHIND = ("__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini")  # written by the operating system, not by people
SET_ADVICE = "nothing was loaded from any file of the set; give the files of the set, one folder, or one zip"


@dataclass(frozen=True)
class SetMember:
    """One file of a set: its name in the set, where it is on disk now, its size and its sha256."""

    name: str
    path: Path
    size_bytes: int
    sha256: str


class NotASet(Exception):
    """What was given cannot be read as a set of files; ``problem`` says which file and why."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.message())


def _refused(name: str, why: str) -> NotASet:
    return NotASet(Problem(name, "", "", Rule.UNREADABLE_FILE, why, SET_ADVICE))


def _left_behind(relative: PurePosixPath) -> bool:
    return any(part in LEFT_BEHIND or part.startswith((".", "~$")) for part in relative.parts)


def _member(name: str, path: Path) -> SetMember:
    return SetMember(name, path, path.stat().st_size, sha256_of(path))


def _folder_members(folder: Path) -> list[SetMember]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = PurePosixPath(path.relative_to(folder).as_posix())
        if not _left_behind(relative):
            found.append(_member(str(relative), path))
    return found


def _unzip(archive: Path, into: Path) -> list[SetMember]:
    """Every file of the zip, unpacked under ``into`` within the workbook cap; NotASet when it cannot be."""
    try:
        package = Package(archive, default_cap())
    except NotAWorkbook as error:
        raise _refused(archive.name, str(error).replace("the workbook", "the zip")) from error
    found = []
    try:
        for info in package.zip.infolist():
            relative = PurePosixPath(info.filename)
            if relative.is_absolute() or ".." in relative.parts or "\\" in info.filename:
                raise _refused(archive.name, f"its file {info.filename!r} would be unpacked outside its folder")
            if info.is_dir() or _left_behind(relative):
                continue
            if info.flag_bits & 0x1:
                raise _refused(archive.name, f"its file {info.filename!r} is protected by a password")
            target = into.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                for chunk in package.chunks(info.filename):
                    out.write(chunk)
            found.append(_member(str(relative), target))
    except NotAWorkbook as error:
        raise _refused(archive.name, str(error).replace("workbook", "zip")) from error
    except ZIP_FAILURES as error:
        raise _refused(archive.name, "it is a damaged zip file") from error
    finally:
        package.close()
    return sorted(found, key=lambda m: m.name)


def _given_name(path: Path, paths: list[Path]) -> str:
    """A file given on its own is named by its name, or by its folder and name when another file given has
    the same name (``2023-24/episodes.csv`` and ``2024-25/episodes.csv``: a year's tables each in its folder)."""
    same = [p for p in paths if p.name == path.name and p.is_file() and p.resolve() != path.resolve()]
    return f"{path.parent.name}/{path.name}" if same and path.parent.name else path.name


@contextmanager
def set_members(paths: list[Path]) -> Iterator[list[SetMember]]:
    """The files of the set ``paths`` give: each path a file, or one folder, or one zip.

    Raises NotASet for a path that does not exist, an empty set, a damaged zip or two files of one name;
    an unpacked zip's folder is removed on leaving.
    """
    with TemporaryDirectory(prefix="dashboard-set-") as unpacked:
        members: list[SetMember] = []
        for path in paths:
            if path.is_dir():
                members += _folder_members(path)
            elif not path.is_file():
                raise _refused(path.name, "no such file")
            elif zipfile.is_zipfile(path) and path.suffix.lower() == ".zip":
                members += _unzip(path, Path(unpacked) / f"{len(members)}-{path.stem}")
            else:
                members.append(_member(_given_name(path, paths), path))
        if not members:
            raise _refused(", ".join(p.name for p in paths) or "the set", "it holds no files")
        names = [m.name for m in members]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise _refused(twice[0], "two files of the set have this name; give each file once")
        yield members
