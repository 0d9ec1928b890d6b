"""Tell a database that is out of reach from any other failure.

While PostgreSQL restarts, is stopped, or refuses new sessions, every request
that touches it fails with a connection-level error. Those are answered with a
503 and Retry-After (the site recovers by itself once the database is back:
each request opens a fresh connection after an error), never with the 500 page.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# SQLSTATE classes and codes that mean "no usable connection", not "this query failed":
# 08 connection exception; 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now.
CONNECTION_CLASSES = ("08",)
CONNECTION_CODES = ("57P01", "57P02", "57P03")


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether `error` means the database could not be reached (rather than a bug or a busy row)."""
    if isinstance(error, InterfaceError):
        return True  # the connection is closed or broken
    if not isinstance(error, OperationalError):
        return False
    code = getattr(error.__cause__, "pgcode", None)
    if code is None:
        # psycopg2 reports a refused or lost connection with no SQLSTATE; a query that merely
        # failed always carries one (55P03 lock timeout, 57014 statement timeout…). SQLite's
        # errors have none either, but its file is never "out of reach": only "database is locked".
        return "locked" not in str(error)
    return code.startswith(CONNECTION_CLASSES) or code in CONNECTION_CODES
