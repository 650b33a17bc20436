"""The database layer: engine and sessions, schema and migrations, and every query the app runs.

Nothing outside this package opens a connection or writes SQL; nothing here runs at import time.
"""

from db.engine import connect, migrate

__all__ = ["connect", "migrate"]
