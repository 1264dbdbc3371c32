from django.utils.translation import gettext_lazy

from ocophub.core.importing import Column, Importer
from ocophub.producers.models import Producer
from ocophub.producers.validators import normalise_registration_number

from .forms import ProductForm
from .gtin import normalise_gtin
from .models import Classification, ProductGroup

# The example is a honey of the producer template's example cooperative (its tax number).
COLUMNS = [
    Column("name", True, gettext_lazy("Product name"), "Mật ong hoa rừng Quyết Thắng"),
    Column(
        "name_en", False, gettext_lazy("Product name in English"), "Quyet Thang wildflower honey"
    ),
    Column(
        "producer_registration_number",
        True,
        gettext_lazy("Producer's registration or tax number"),
        "5400990015",
        gettext_lazy("As it is in the registry, for a producer you manage."),
    ),
    Column(
        "group_2023",
        False,
        gettext_lazy("Product group (2023)"),
        "1.4",
        gettext_lazy("A group code of Decision 148/2023, e.g. 1.4 for honey."),
    ),
    Column(
        "group_2019",
        False,
        gettext_lazy("Product group (2019)"),
        "1.3",
        gettext_lazy("A group code of Decision 1048/2019, e.g. 1.3 for processed foods."),
    ),
    Column(
        "commune_code",
        True,
        gettext_lazy("Commune code"),
        "5323",
        gettext_lazy(
            "The commune code: 5323 (current) or legacy:5275 (a commune before July 2025)."
        ),
    ),
    Column(
        "gtin",
        False,
        gettext_lazy("GTIN"),
        "8931234567897",
        gettext_lazy("8, 12, 13 or 14 digits, with the check digit."),
    ),
    Column(
        "description",
        False,
        gettext_lazy("Description"),
        "Mật ong hoa rừng khai thác tự nhiên, đóng chai 500 ml.",
    ),
    Column(
        "story",
        False,
        gettext_lazy("Product story"),
        "Đàn ong được nuôi dưới tán rừng Quyết Thắng từ năm 2010.",
    ),
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
        data = {c.name: row.get(c.name, "") for c in COLUMNS}
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
