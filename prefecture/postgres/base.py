"""Django's PostgreSQL backend, with the connection health check skipped while the connection is in use.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every
request that reuses a connection: under a rush, one extra round trip through
PgBouncer per answer, for connections that answered a moment ago. Here the check
is made only when the connection sat unused for HEALTH_CHECK_IDLE_S seconds (a
database or pooler restarted meanwhile is then caught before the request's
first query, as before). A connection that breaks while in use fails its query;
Django then marks it (errors_occurred), checks it at the end of the request and
closes it, so the next request opens a fresh one (prefecture/outage.py answers
503 meanwhile). HEALTH_CHECK_IDLE_S = 0 checks every request, as Django does.
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.used_at = float("-inf")

    def create_cursor(self, name=None):
        self.used_at = time.monotonic()
        return super().create_cursor(name)

    def close_if_health_check_failed(self):
        idle_s = self.settings_dict.get("HEALTH_CHECK_IDLE_S", 0)
        recently_used = time.monotonic() - self.used_at < idle_s
        if self.connection is not None and self.health_check_enabled and recently_used:
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
