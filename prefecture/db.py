"""Database session settings that survive a transaction-pooling PgBouncer.

Behind PgBouncer in transaction mode, a Django connection is lent a different
server connection for each transaction, so options given when connecting
(`-c lock_timeout=...`) never reach the server and a session-level `SET` would
stay behind on a server connection for whoever gets it next. Here every
statement Django sends carries `SET LOCAL` for the timeouts in front of it: in
an explicit transaction they hold until its end, and a statement sent in
autocommit runs with them in its implicit transaction; a rollback (to a
savepoint, after a failed statement) is sent alone. The application keeps
owning its timeouts, whatever pooler sits in between and whatever an earlier
client of the same server connection set.
"""

from __future__ import annotations

from django.db.backends.signals import connection_created
from django.dispatch import receiver


def timeouts_prefix(timeouts: dict[str, int]) -> str:
    """`SET LOCAL name = 'Nms'; ...` for each timeout, in milliseconds."""
    return "".join(f"SET LOCAL {name} = '{int(value)}ms'; " for name, value in sorted(timeouts.items()))


class TransactionTimeouts:
    """An execute wrapper that puts the timeouts in front of each statement."""

    def __init__(self, timeouts: dict[str, int]):
        self.prefix = timeouts_prefix(timeouts)

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith("ROLLBACK"):
            # A failed transaction refuses every statement but a rollback: the `SET LOCAL` in front would make
            # Django's ROLLBACK TO SAVEPOINT fail, and the whole transaction with it.
            return execute(sql, params, many, context)
        return execute(self.prefix + sql, params, many, context)


@receiver(connection_created)
def set_timeouts_per_transaction(sender, connection, **kwargs) -> None:
    timeouts = connection.settings_dict.get("TIMEOUTS_PER_TRANSACTION")
    if not timeouts or any(isinstance(w, TransactionTimeouts) for w in connection.execute_wrappers):
        return  # not behind a pooler, or already set up before a reconnection
    connection.execute_wrappers.append(TransactionTimeouts(timeouts))
