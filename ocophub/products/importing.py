from django.utils.translation import gettext_lazy

from ocophub.core.importing import Importer
from ocophub.producers.models import Producer
from ocophub.producers.validators import normalise_registration_number

from .forms import ProductForm
from .gtin import normalise_gtin
from .models import Classification, ProductGroup

COLUMNS = [
    ("name", True),
    ("name_en", False),
    ("producer_registration_number", True),
    ("group_2023", False),
    ("group_2019", False),
    ("commune_code", True),
    ("gtin", False),
    ("description", False),
    ("story", False),
]


def export_row(p):
    return [
        p.name,
        p.name_en,
        p.producer.registration_number,
        p.group_2023.code if p.group_2023_id else "",
        p.group_2019.code if p.group_2019_id else "",
        p.commune.ref,
        p.gtin or "",
        p.description,
        p.story,
    ]


class ProductImporter(Importer):
    kind = "products"
    done_url = "products:list"
    what = gettext_lazy("products")
    columns = COLUMNS
    field_columns = {"commune": "commune_code", "producer": "producer_registration_number"}

    def __init__(self, user):
        super().__init__(user)
        self.producers = {
            p.registration_number.replace("-", ""): p.pk for p in Producer.objects.editable_by(user)
        }
        self.groups = {(g.classification, g.code): g.pk for g in ProductGroup.objects.all()}

    def form_for(self, row):
        reg = normalise_registration_number(row.get("producer_registration_number")).replace(
            "-", ""
        )
        data = {c: row.get(c, "") for c, _r in COLUMNS}
        data["producer"] = self.producers.get(reg, f"unknown:{reg}" if reg else "")
        data["group_2023"] = self.groups.get(
            (Classification.DECISION_148_2023, data["group_2023"]), data["group_2023"] and "unknown"
        )
        data["group_2019"] = self.groups.get(
            (Classification.DECISION_1048_2019, data["group_2019"]),
            data["group_2019"] and "unknown",
        )
        data["commune"] = row.get("commune_code", "")
        return ProductForm(data=data, user=self.user)

    def unique_key(self, row):
        try:
            gtin = normalise_gtin(row.get("gtin")) if row.get("gtin") else None
        except Exception:
            return None
        return ("gtin", gtin) if gtin else None
