"""The person using the app, for pages and for every write they make.

Local mode (no sign-in configured: a fresh install, a test): the person running the app is an editor.
Sign-in through Streamlit's OpenID Connect (``st.login``) is configured in ``.streamlit/secrets.toml``;
see the README. (This module is filled in by the permissions work; its API is fixed.)
"""

from __future__ import annotations

from access.users import User, command_line_user


def current_user() -> User:
    """Who is using the app now. Pages show editing controls only when ``current_user().is_editor``."""
    return command_line_user()
