"""API output for records that sit in a commune: one set of ninja resolvers.

A schema for a record with a `commune` foreign key subclasses `InCommuneOut` and
declares whichever of these fields it shows; the resolvers fill them from the record's
commune (select_related `commune__province`, and `commune__district` for `district`)::

    class GrowingAreaOut(InCommuneOut):
        id: int
        commune: str        # the commune's name
        commune_ref: str    # "5275" or "legacy:5275", what payloads and filters accept
        district: str | None  # pre-July-2025 district, None for current communes
        province: str

Payloads go the other way through `places.fields.CommuneField` (a form field that takes
a code, `legacy:CODE` or a suggestion label, and checks the caller governs the commune),
or `places.models.resolve_ref` for a bare lookup.
"""

from typing import Any

from ninja import Schema


class InCommuneOut(Schema):
    """No fields of its own: only resolvers for `commune`, `commune_ref`, `district`,
    `province`, so a subclass keeps its own field order in the API."""

    @staticmethod
    def resolve_commune(obj: Any) -> str:
        return obj.commune.name

    @staticmethod
    def resolve_commune_ref(obj: Any) -> str:
        return obj.commune.ref

    @staticmethod
    def resolve_district(obj: Any) -> str | None:
        return obj.commune.district.name if obj.commune.district_id else None

    @staticmethod
    def resolve_province(obj: Any) -> str:
        return obj.commune.province.name
