"""Whether a formula's saved result can be trusted, checked the same way whichever reader read the sheet.

A workbook saves each formula with the result it last worked out, and the readers load that result.
Two kinds of file save a result that is not the formula's:

- a workbook that asks to be recalculated when opened (``fullCalcOnLoad`` in ``workbook.xml``): tools
  such as xlsxwriter write ``0`` for every formula they did not work out and set that flag, so Excel
  works the figures out on opening. Every result such a file saves is a placeholder;
- such a file opened and saved again without recalculating (LibreOffice does this): the flag is gone
  and the zeros stay.

So every formula with a saved result is distrusted in the first kind of file, and in any file a
formula this module can work out itself (arithmetic ``+ - * /`` on numbers and cells of the same
sheet, parentheses, ``SUM`` over numbers, cells and ranges of the same sheet) is worked out from the
results saved in the cells it names and compared with its own saved result. A formula that works
from a distrusted cell is distrusted too. The evaluator is a small parser, never ``eval``; anything
it does not read (other functions, other sheets, text) is left as saved, as it was before.

A distrusted cell is treated like a formula with no saved value: its value is dropped from the
grid and the return layer refuses it, naming the cell, wherever the return reads it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from loaders.extent import EXCEL_COLUMNS, CellStore
from loaders.problems import cell_ref

RECALCULATE_ON_OPEN = ("the workbook asks Excel to work its formulas out again when it is opened, so the result "
                       "saved with this formula may not be its figure (tools such as xlsxwriter save 0 until then); "
                       "open the file in Excel and save it, so the worked-out figures are saved")
DISAGREES = ("the result saved with this formula is {saved}, but the formula works out as {worked} from the cells "
             "it names, so the file was saved without working its formulas out; open it in Excel, press "
             "Ctrl+Alt+F9 to work every formula out, and save it")
DEPENDS = ("this formula works from cell {cell}, whose saved result cannot be trusted; open the file in Excel, "
           "press Ctrl+Alt+F9 to work every formula out, and save it")
RELATIVE_TOLERANCE = 1e-9  # Excel saves results to 17 significant digits; this only absorbs rounding
ABSOLUTE_TOLERANCE = 1e-9
MAX_RANGE_CELLS = 1_000_000  # a SUM over more cells than this is left as saved rather than expanded

_TOKEN = re.compile(
    r"\s*(?:(?P<range>\$?[A-Z]{1,3}\$?\d{1,7}:\$?[A-Z]{1,3}\$?\d{1,7})"
    r"|(?P<ref>\$?[A-Z]{1,3}\$?\d{1,7})(?![\w(!:])"
    r"|(?P<sum>SUM)\s*\("
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<op>[-+*/(),]))",
    re.IGNORECASE,
)
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})", re.IGNORECASE)


class Unverifiable(Exception):
    """The formula holds something this module does not work out: its saved result is left as it is."""


class Unreadable:
    """Stands for a cell holding an Excel error: any formula naming it is left as saved."""


class DivideByZero(Exception):
    """The formula divides by zero, so Excel shows #DIV/0!: a saved number cannot be its result."""


def _position(ref: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref)
    if match is None:
        raise Unverifiable(ref)
    letters, digits = match.group(1).upper(), int(match.group(2))
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    if digits < 1 or col > EXCEL_COLUMNS:
        raise Unverifiable(ref)
    return digits - 1, col - 1


@dataclass(frozen=True)
class _Range:
    top: int
    left: int
    bottom: int
    right: int

    def cells(self) -> list[tuple[int, int]]:
        return [(r, c) for r in range(self.top, self.bottom + 1) for c in range(self.left, self.right + 1)]


def _tokens(text: str) -> list[tuple[str, str]]:
    out, at, text = [], 0, text.strip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            raise Unverifiable(text)
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        at = match.end()
        while at < len(text) and text[at].isspace():
            at += 1
    return out


class _Parser:
    """Recursive descent over the tokens; the tree is nested tuples: ("num", x), ("ref", pos),
    ("neg", node), ("op", sign, left, right), ("sum", [node or _Range])."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.at = tokens, 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.at += 1
        return token

    def expect(self, text: str) -> None:
        if self.take() != ("op", text):
            raise Unverifiable(text)

    def whole(self) -> tuple:
        node = self.expression()
        if self.peek()[0] != "end":
            raise Unverifiable("trailing")
        return node

    def expression(self) -> tuple:
        node = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            node = ("op", self.take()[1], node, self.term())
        return node

    def term(self) -> tuple:
        node = self.factor()
        while self.peek() in (("op", "*"), ("op", "/")):
            node = ("op", self.take()[1], node, self.factor())
        return node

    def factor(self) -> tuple:
        kind, text = self.take()
        if (kind, text) == ("op", "-"):
            return ("neg", self.factor())
        if (kind, text) == ("op", "+"):
            return self.factor()
        if kind == "number":
            return ("num", float(text))
        if kind == "ref":
            return ("ref", _position(text))
        if (kind, text) == ("op", "("):
            node = self.expression()
            self.expect(")")
            return node
        if kind == "sum":
            args: list = []
            while True:
                if self.peek()[0] == "range":
                    first, last = self.take()[1].split(":")
                    (r1, c1), (r2, c2) = _position(first), _position(last)
                    args.append(_Range(min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
                else:
                    args.append(self.expression())
                if self.peek() == ("op", ","):
                    self.take()
                    continue
                self.expect(")")
                return ("sum", args)
        raise Unverifiable(text)


def parse(text: str) -> tuple:
    """The formula's tree (see _Parser); Unverifiable when it holds anything else."""
    return _Parser(_tokens(text.lstrip("="))).whole()


def references(node: tuple) -> list[tuple[int, int]]:
    """Every cell the formula names, ranges expanded; Unverifiable past MAX_RANGE_CELLS."""
    out: list[tuple[int, int]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, _Range):
            if (item.bottom - item.top + 1) * (item.right - item.left + 1) > MAX_RANGE_CELLS:
                raise Unverifiable("range")
            out += item.cells()
        elif item[0] == "ref":
            out.append(item[1])
        elif item[0] == "neg":
            stack.append(item[1])
        elif item[0] == "op":
            stack += [item[2], item[3]]
        elif item[0] == "sum":
            stack += item[1]
    return out


def evaluate(node: tuple, cells: dict[tuple[int, int], object]) -> float:
    """The formula's result from the cells' saved values (absent cells are empty, as 0 in Excel).

    Arithmetic on a cell that is not a number is Unverifiable (Excel may coerce text); SUM leaves out
    text and TRUE/FALSE in cells it names, as Excel does.
    """
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "ref":
        return _number(cells.get(node[1], ""))
    if kind == "neg":
        return -evaluate(node[1], cells)
    if kind == "op":
        left, right = evaluate(node[2], cells), evaluate(node[3], cells)
        sign = node[1]
        if sign == "+":
            return left + right
        if sign == "-":
            return left - right
        if sign == "*":
            return left * right
        if right == 0:
            raise DivideByZero
        return left / right
    total = 0.0
    for arg in node[1]:
        if isinstance(arg, _Range) or arg[0] == "ref":
            for at in arg.cells() if isinstance(arg, _Range) else [arg[1]]:
                item = cells.get(at, "")
                if isinstance(item, float) and not isinstance(item, bool):
                    total += item
                elif item is None or isinstance(item, Unreadable):
                    raise Unverifiable("cell")
        else:
            total += evaluate(arg, cells)
    return total


def _number(item: object) -> float:
    if isinstance(item, float) and not isinstance(item, bool):
        return item
    if isinstance(item, str) and item == "":
        return 0.0
    raise Unverifiable("not a number")


def _shown(number: float) -> str:
    return f"{number:,.10g}"


def distrust_formulas(store: CellStore, recalculate_on_open: bool) -> None:
    """Move every formula whose saved result cannot be trusted from the store's values to its
    ``uncached`` cells, with the reason in ``distrusted``. ``store.formulas`` maps each formula cell
    that has a saved result to its index in ``values`` and its text ("" for a copy of a shared formula)."""
    if not store.formulas:
        return
    reasons: dict[tuple[int, int], str] = {}
    if recalculate_on_open:
        reasons = dict.fromkeys(store.formulas, RECALCULATE_ON_OPEN)
    else:
        trees: dict[tuple[int, int], tuple] = {}
        named: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for at, (index, text) in store.formulas.items():
            if not text or not isinstance(store.values[index], float):
                continue
            try:
                tree = parse(text)
                named[at] = references(tree)
            except (Unverifiable, RecursionError):
                continue
            trees[at] = tree
        cells = _saved_values(store, {at for refs in named.values() for at in refs})
        for at, tree in trees.items():
            saved = store.values[store.formulas[at][0]]
            try:
                worked = evaluate(tree, cells)
            except DivideByZero:
                reasons[at] = DISAGREES.format(saved=_shown(saved), worked="#DIV/0!")
                continue
            except (Unverifiable, RecursionError):
                continue
            if not math.isclose(saved, worked, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE):
                reasons[at] = DISAGREES.format(saved=_shown(saved), worked=_shown(worked))
        _spread(reasons, named)
    dropped = set()
    for at, reason in reasons.items():
        index, text = store.formulas[at]
        store.values[index] = None
        store.uncached[at] = f"={text}" if text else "(a copy of a shared formula)"
        store.distrusted[at] = reason
        dropped.add(index)
    if dropped and store.percent:
        store.percent = type(store.percent)("i", [i for i in store.percent if i not in dropped])


def _spread(reasons: dict[tuple[int, int], str], named: dict[tuple[int, int], list[tuple[int, int]]]) -> None:
    """A formula that works from a distrusted cell is distrusted too, however long the chain."""
    users: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for at, refs in named.items():
        for ref in refs:
            users[ref].append(at)
    waiting = list(reasons)
    while waiting:
        source = waiting.pop()
        for user in users.get(source, ()):
            if user not in reasons:
                reasons[user] = DEPENDS.format(cell=cell_ref(*source))
                waiting.append(user)


def _saved_values(store: CellStore, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], object]:
    """The saved value of each wanted cell that holds one (errors as Unreadable), found in one pass."""
    if not wanted:
        return {}
    rows = np.frombuffer(store.rows, dtype=np.int32).astype(np.int64)
    cols = np.frombuffer(store.cols, dtype=np.int32).astype(np.int64)
    keys = rows * EXCEL_COLUMNS + cols
    wanted_keys = np.fromiter((r * EXCEL_COLUMNS + c for r, c in wanted), dtype=np.int64, count=len(wanted))
    out: dict[tuple[int, int], object] = {}
    for i in np.flatnonzero(np.isin(keys, wanted_keys)):
        at = (int(rows[i]), int(cols[i]))
        out[at] = Unreadable() if at in store.errors else store.values[i]
    return out
