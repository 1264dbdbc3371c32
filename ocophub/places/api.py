from django.db.models import Count
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from ocophub.core.text import filter_by_search

from .models import Commune, Era, Province, resolve_ref

router = Router(tags=["places"])


class ProvinceOut(Schema):
    id: int
    ref: str
    code: int
    name: str
    era: str
    division_type: str
    valid_from: str | None
    valid_until: str | None
    communes: int
    successor: str | None

    @staticmethod
    def resolve_valid_from(obj):
        return obj.valid_from.isoformat() if obj.valid_from else None

    @staticmethod
    def resolve_valid_until(obj):
        return obj.valid_until.isoformat() if obj.valid_until else None

    @staticmethod
    def resolve_communes(obj):
        return obj.n_communes

    @staticmethod
    def resolve_successor(obj):
        return obj.successor.ref if obj.successor_id else None


class CommuneOut(Schema):
    id: int
    ref: str
    code: int
    name: str
    era: str
    division_type: str
    district: str | None
    province: str
    successor: str | None

    @staticmethod
    def resolve_district(obj):
        return obj.district.name if obj.district_id else None

    @staticmethod
    def resolve_province(obj):
        return obj.province.name

    @staticmethod
    def resolve_successor(obj):
        return obj.successor.ref if obj.successor_id else None


class EraFilter(Schema):
    era: Era = Era.CURRENT
    q: str = ""


@router.get("/places/provinces", response=list[ProvinceOut])
@paginate(PageNumberPagination, page_size=100)
def provinces(request, filters: Query[EraFilter]):
    """Provinces of one era: `current` (34, from 1 July 2025) or `legacy` (63)."""
    qs = (
        Province.objects.filter(era=filters.era)
        .select_related("successor")
        .annotate(n_communes=Count("communes"))
        .order_by("code")
    )
    return filter_by_search(qs, filters.q)


class CommuneFilter(EraFilter):
    province: str = ""


@router.get("/places/communes", response=list[CommuneOut])
@paginate(PageNumberPagination, page_size=100)
def communes(request, filters: Query[CommuneFilter]):
    """Communes of one era, optionally within a province (`25` or `legacy:17`)."""
    qs = (
        Commune.objects.filter(era=filters.era)
        .select_related("district", "province", "successor")
        .order_by("code")
    )
    if filters.province:
        province = resolve_ref(Province, filters.province, filters.era)
        qs = qs.filter(province=province) if province else qs.none()
    return filter_by_search(qs, filters.q)
