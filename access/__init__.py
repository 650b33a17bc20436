"""Who may change what: the signed-in person and whether they are an editor.

Viewing is for everyone signed in; importing, undoing, editing targets and writing commentary are for
editors. Every function that changes the database takes the ``User`` doing it and refuses a viewer
(``require_editor``), so a hidden button is never the only guard. Once grants exist (access.grants), an
editor changes only the councils they hold an editor grant for (``require_council``).
"""

from access.users import NotAnEditor, NotYourCouncil, User, command_line_user, require_council, require_editor

__all__ = ["NotAnEditor", "NotYourCouncil", "User", "command_line_user", "require_council", "require_editor"]
