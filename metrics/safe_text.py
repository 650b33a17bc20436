"""Text from a file, a web address or a person, shown as the text it is: never as markup or a formula.

A file's name, a sheet's name, a cell's text, a breakdown's label, a commentary, a person's name and
anything in the page's address are written by someone the dashboard cannot vouch for. Shown through
markdown, ``[Session expired](https://...)`` becomes a live link inside the dashboard's own warning box
and ``![](https://...)`` makes every viewer's browser fetch a picture from another host; in a Plotly
chart, ``<a href>`` is a link; in Excel, ``=HYPERLINK(...)`` is a live formula. Each place such text goes
has one function here, so every page, chart, pack and export treats it the same way:

- ``markdown_text``: for st.markdown and everything else Streamlit renders as markdown (messages, captions,
  widget labels, toasts);
- ``chart_text``: for Plotly's hover text and annotations, which render a subset of HTML;
- ``spreadsheet_cell``: for a text cell written to CSV or Excel (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import html
import re

import pandas as pd

# CommonMark lets any ASCII punctuation be escaped with a backslash, and an escaped character is only ever
# text. These are the ones that make markup anywhere in a line: links and images ('[', ']', '(', ')', '!'),
# emphasis, code and strike-through ('*', '_', '`', '~'), tables ('|'), HTML and entities ('<', '>', '&'),
# headings ('#'), LaTeX ('$'), Streamlit's colour directives, icons and emoji codes (':red[...]',
# ':material/...:', ':smile:') and addresses turned into links ('https://...', 'a@b.org').
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|~$:<>&@])")
# Marks that make markup only at the start of a line (a list, a quote, a heading underline, a numbered
# list) and 'www.', which markdown turns into a link wherever it is.
_LINE_START = re.compile(r"^([-+=>])|^(\d+)([.)])")
_WEB_ADDRESS = re.compile(r"(www)\.", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")

# OWASP (CSV injection): a cell starting with one of these is read by Excel or LibreOffice as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"
# Text that is a plain number ('-5', '+3.2', '-12.5%') is no formula: left as written, so a figure a table
# holds as text is never altered.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?%?")


def _one_line_markdown(line: str) -> str:
    # Leading spaces or a tab would start a code block: a line of text keeps only its words.
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", line.strip())
    escaped = _LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3),
                              escaped)
    return _WEB_ADDRESS.sub(r"\1\\.", escaped)


def markdown_text(text: object) -> str:
    """``text`` written so that markdown shows it exactly as it is, on one line.

    Line breaks become spaces: a file name or a web address is one line, and a break could otherwise start
    a heading or a list. For text whose line breaks matter (a commentary), use ``markdown_paragraphs``.
    """
    return _one_line_markdown(" ".join(_LINE_BREAKS.sub("\n", str(text)).split("\n")))


def markdown_paragraphs(text: object) -> str:
    """Plain text with its line breaks kept (a blank line starts a new paragraph), as markdown that
    shows every character as written: a '# Heading' line is a line starting with '#', an image is its text."""
    normalised = _LINE_BREAKS.sub("\n", str(text)).strip()
    paragraphs = _BLANK_LINES.split(normalised)
    return "\n\n".join("  \n".join(_one_line_markdown(line) for line in paragraph.split("\n"))
                       for paragraph in paragraphs)


def chart_text(text: object) -> str:
    """Text for a Plotly label, hover text or annotation: '<', '>' and '&' shown as themselves (Plotly
    renders a subset of HTML, links included), each line break a '<br>'."""
    escaped = html.escape(_LINE_BREAKS.sub("\n", str(text)), quote=False)
    return escaped.replace("\n", "<br>")


def spreadsheet_cell(value: object) -> object:
    """A value as a CSV or Excel cell must hold it: text that Excel would run as a formula starts with a
    quote ("'=HYPERLINK(...)", "'+1+1", "'@SUM(1)"); numbers, dates and empty cells are returned unchanged,
    so a figure stays a number."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return FORMULA_GUARD + value
    return value


def spreadsheet_row(values: object) -> list[object]:
    """``spreadsheet_cell`` over a row (a list, a tuple)."""
    return [spreadsheet_cell(value) for value in values]  # type: ignore[attr-defined]


def markdown_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for st.table, which renders each cell as markdown: every text cell shown as written."""
    return frame.map(lambda value: markdown_text(value) if isinstance(value, str) else value)
