"""Reads of the dashboards and public queries from a read replica, when one is set.

`DATABASE_REPLICA_URL` adds a `replica` database; views wrapped in `reads_from_replica`
then send their reads there, and everything else (writes, and reads that must see a
write just made, like a form's redisplay) stays on `default`. A replica lags its
primary by a moment, which a dashboard or a public page can afford and an edit cannot:
that is why the choice is per view, not per model. Without a replica nothing changes.
"""

import contextvars
import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings

REPLICA = "replica"
_reading_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reading_from_replica", default=False
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run `view` with its reads on the replica (the response is rendered inside)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        token = _reading_from_replica.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _reading_from_replica.reset(token)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading_from_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary: objects read from either relate.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica copies the primary's schema; it is never migrated itself.
        return db != REPLICA
