"""The person acting, as every write records them, and the one rule: only an editor changes figures."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

import settings
from reference.areas import areas


@dataclass(frozen=True)
class User:
    """Someone using the dashboard: ``login`` is what the database records as who did it."""

    login: str  # an e-mail address when signed in, the operating-system login on the command line
    display_name: str
    is_editor: bool
    # The councils (ONS codes) whose figures they may change: None without grants (any council, as in a
    # one-council install), else their editor grants (access.grants), empty for a viewer or regional person.
    edits: frozenset[str] | None = None

    def may_edit(self, council: str) -> bool:
        """Whether they may change this council's own figures, targets and commentary."""
        return self.is_editor and (self.edits is None or council in self.edits)

    @property
    def role(self) -> str:
        """'editor' or 'viewer', as the sidebar and messages say it."""
        return "editor" if self.is_editor else "viewer"

    @property
    def label(self) -> str:
        """'Jo Smith (jo.smith@council.gov.uk)', or the login alone when they are the same."""
        if self.display_name and self.display_name != self.login:
            return f"{self.display_name} ({self.login})"
        return self.login


class NotAnEditor(PermissionError):
    """A viewer tried to change something: the message says what, and who can do it."""

    def __init__(self, user: User, action: str) -> None:
        self.user = user
        self.action = action
        super().__init__(f"{user.label} may view the dashboard but not {action}: only an editor can. "
                         "Ask the dashboard's administrator to add you to its editors.")


class NotYourCouncil(PermissionError):
    """An editor tried to change a council's figures they hold no editor grant for."""

    def __init__(self, user: User, council: str, action: str) -> None:
        self.user = user
        self.council = council
        super().__init__(f"{user.label} may not {action} for {council_words(council)}: only that council's "
                         "editors can. Ask the dashboard's administrator for an editor grant for it.")


def council_words(code: str) -> str:
    """'Manchester (E08000003)', or the code alone when the area list does not know it."""
    directory = areas()
    return f"{directory.get(code).name} ({code})" if code in directory else code


def require_council(user: User, council: str, action: str) -> None:
    """Raise NotAnEditor for a viewer, NotYourCouncil for an editor of other councils only."""
    require_editor(user, action)
    if not user.may_edit(council):
        raise NotYourCouncil(user, council, action)


def require_editor(user: User, action: str) -> None:
    """Raise NotAnEditor unless ``user`` is an editor. ``action`` reads after 'not': 'undo an import'."""
    if not user.is_editor:
        raise NotAnEditor(user, action)


def os_login() -> str:
    """The operating-system login running this process (DASHBOARD_USER overrides it), so every change
    made without signing in still names someone: the user id where the system has no name for it."""
    configured = settings.IMPORTED_BY.value()
    if configured:
        return configured
    for var in ("USER", "USERNAME", "LOGNAME"):
        if os.environ.get(var, "").strip():
            return os.environ[var].strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (some containers)
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "the computer's account (no login name)"


def command_line_user() -> User:
    """The command line runs as the operating-system user, with editor rights."""
    login = os_login()
    return User(login=login, display_name=login, is_editor=True)
