"""Scoping querysets to the user who asks: one rule for every registry record.

A record is reachable two ways: through the producer accounts that own it (a producer
account sees and changes its own), and through the commune it sits in (officers,
inspectors and union officers by their territory, see `User.territory_q`). A queryset
that mixes in `ScopedQuerySet` names both paths and gets `visible_to(user)` and
`editable_by(user)`::

    class GrowingAreaQuerySet(ScopedQuerySet):
        owner_path = "producer__accounts"   # the users who own the row
        commune_path = "commune"            # the row's commune field

Anonymous users reach nothing, superusers everything. Reading follows the territory;
changing it only for registry officers (province office, commune officers), since
inspectors and union officers read but never write.
"""

from typing import Any, Self

from django.db import models
from django.db.models import Q


class ScopedQuerySet(models.QuerySet):
    """Mix into a model's QuerySet; set `owner_path` and `commune_path` on the subclass."""

    # Lookup from the row to the users who own it (producer accounts).
    owner_path: str = "accounts"
    # Lookup from the row to its Commune, as `User.territory_q` takes it.
    commune_path: str = "commune"

    def scoped_to(self, user: Any, *, territory: bool) -> Self:
        """Rows the user owns, plus those in the user's territory when `territory`."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        own = models.Q(**{self.owner_path: user})
        q = user.territory_q(self.commune_path) if territory else None
        return self.filter(own | q if q is not None else own).distinct()

    def visible_to(self, user: Any) -> Self:
        """Rows a user may read: those in their territory, or their own."""
        return self.scoped_to(user, territory=True)

    def editable_by(self, user: Any) -> Self:
        """Rows a user may change: officers in their territory, producer accounts their own."""
        # Anonymous users have no role and change nothing.
        return self.scoped_to(user, territory=getattr(user, "is_staff_officer", False))


def union_territory_q(user: Any, prefix: str = "commune") -> Q | None:
    """The communes a union officer works in: their communes if any are set (a commune
    union), else their province (the provincial union). None means everywhere."""
    if user.is_superuser:
        return None
    if user.role == "union" and user.communes.exists():
        ids = list(user.communes.values_list("id", flat=True))
        f = f"{prefix}__" if prefix else ""  # "" filters communes themselves
        return Q(**{f"{f}id__in": ids}) | Q(**{f"{f}successor_id__in": ids})
    if user.role in ("union", "province") and user.province_id:
        return user.territory_q(prefix)
    return Q(pk__in=[])
