"""What a person sees when a page cannot be drawn: a sentence saying what happened and what to do.

Streamlit's own box for an error nobody caught says the message was redacted and points at Streamlit
Cloud's menu, which a committee member cannot act on (and the error's own text may hold SQL or a
council's figures, so it is never shown). The details go to the server's log, stamped with the same UK
clock time the sentence gives, so the administrator can find them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import exc

from metrics.formatting import moment_text

log = logging.getLogger(__name__)

# The database did not answer or refused the read (a server restarting, a dropped connection, every
# connection busy, a file locked or damaged): worth trying again in a minute, then telling the administrator.
UNREACHABLE = (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, exc.TimeoutError)

DATABASE_TEXT = ("The dashboard cannot read its database just now, so it cannot show these figures. Nothing has "
                 "been changed. Reload the page in a minute; if this keeps happening, tell the dashboard's "
                 "administrator the time ({time}): the server's log says what went wrong.")
PAGE_TEXT = ("This page could not be drawn: something went wrong on the server. Nothing has been changed. "
             "Reload the page; if it happens again, tell the dashboard's administrator what you did and the "
             "time ({time}): the server's log says what went wrong.")


def failure_text(error: BaseException, when: datetime) -> str:
    """The sentence for ``error`` (never its own text), naming ``when`` in UK clock time."""
    template = DATABASE_TEXT if isinstance(error, UNREACHABLE) else PAGE_TEXT
    return template.format(time=moment_text(when))


def show_failure(error: BaseException, page: str = "") -> None:
    """Log ``error`` with its traceback and put the sentence on the page in its place."""
    import streamlit as st

    when = datetime.now(UTC)
    log.error("page %s could not be drawn at %s", page or "(before the page)", moment_text(when), exc_info=error)
    st.error(failure_text(error, when), icon=":material/error:")
