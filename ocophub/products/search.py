"""Product filters shared by the web list, the exports and the API."""

from dataclasses import dataclass

from django.db.models import Q

from ocophub.core.text import filter_by_search
from ocophub.places.models import Commune, Era, Province, resolve_ref

from .models import Lifecycle, ProductGroup


@dataclass
class ProductFilter:
    q: str = ""
    province: str = ""
    commune: str = ""
    group: str = ""
    status: str = ""
    stars: str = ""

    @classmethod
    def from_querydict(cls, data):
        return cls(**{k: (data.get(k) or "").strip() for k in cls.__dataclass_fields__})

    def apply(self, qs):
        qs = filter_by_search(qs, self.q)
        if self.province:
            province = resolve_ref(Province, self.province, Era.CURRENT)
            if province is None:
                return qs.none()
            # A legacy record counts in the province it was made in and the one it became.
            qs = qs.filter(
                Q(commune__province=province)
                | Q(commune__province__successor=province)
                | Q(commune__successor__province=province)
            )
        if self.commune:
            commune = resolve_ref(Commune, self.commune, Era.CURRENT)
            if commune is None:
                return qs.none()
            qs = qs.filter(Q(commune=commune) | Q(commune__successor=commune))
        if self.group:
            # "1.4" is a 2023 code; "2019:1.3" names the older classification.
            cls, _sep, code = self.group.rpartition(":")
            ids = list(
                ProductGroup.objects.filter(classification=cls or "2023", code=code).values_list(
                    "id", flat=True
                )
            )
            ids += list(ProductGroup.objects.filter(parent_id__in=ids).values_list("id", flat=True))
            qs = qs.filter(Q(group_2023_id__in=ids) | Q(group_2019_id__in=ids))
        if self.status in Lifecycle.values:
            qs = qs.filter(status=self.status)
        if self.stars.isdigit():
            qs = qs.filter(stars=int(self.stars))
        return qs
