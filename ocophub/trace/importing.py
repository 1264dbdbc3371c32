"""CSV/XLSX import of batches through the shared all-or-nothing import engine."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.core.importing import Column, Importer
from ocophub.products.gtin import normalise_gtin

from .forms import BatchForm, products_for
from .models import Batch, DateKind, Unit
from .services import create_batch

DATE_HELP = gettext_lazy("A date: 2025-07-01 or 01/07/2025.")
# The example is a lot of the product template's example honey (its GTIN).
COLUMNS = [
    Column(
        "gtin",
        True,
        gettext_lazy("Product GTIN"),
        "8931234567897",
        gettext_lazy("The GTIN of one of your products."),
    ),
    Column(
        "lot",
        True,
        gettext_lazy("Lot"),
        "MO2025-001",
        gettext_lazy(
            "Letters without accents, digits and -./_; a lot the product has not had before."
        ),
    ),
    Column("production_date", True, gettext_lazy("Production date"), "2025-07-01", DATE_HELP),
    Column("expiry_date", False, gettext_lazy("Expiry date"), "2027-07-01", DATE_HELP),
    Column(
        "date_kind",
        False,
        gettext_lazy("Date printed"),
        DateKind.BEST_BEFORE.value,
        gettext_lazy("Empty means best before."),
        DateKind.choices,
    ),
    Column("quantity", False, gettext_lazy("Quantity"), "200", gettext_lazy("A number.")),
    Column(
        "unit",
        False,
        gettext_lazy("Unit"),
        "pcs",
        gettext_lazy("Empty means pieces."),
        [
            ("pcs", Unit.PIECE.label),
            ("kg", Unit.KILOGRAM.label),
            ("g", Unit.GRAM.label),
            ("l", Unit.LITRE.label),
            ("ml", Unit.MILLILITRE.label),
        ],
    ),
    Column(
        "origin_commune",
        False,
        gettext_lazy("Origin commune"),
        "5323",
        gettext_lazy(
            "The commune code: 5323 (current) or legacy:5275 (a commune before July 2025)."
        ),
    ),
    Column(
        "inputs",
        False,
        gettext_lazy("Input batches"),
        "",
        gettext_lazy("GTIN:LOT of the batches it was made from, separated by “;”."),
    ),
    Column("note", False, gettext_lazy("Note"), "Vụ mật ong hoa xuân"),
]
ALIASES = {
    "ma_gtin": "gtin",
    "so_lo": "lot",
    "ngay_san_xuat": "production_date",
    "han_su_dung": "expiry_date",
    "so_luong": "quantity",
    "don_vi": "unit",
}
UNIT_WORDS = {
    "": Unit.PIECE,
    "pcs": Unit.PIECE,
    "cai": Unit.PIECE,
    "chai": Unit.PIECE,
    "hop": Unit.PIECE,
    "kg": Unit.KILOGRAM,
    "g": Unit.GRAM,
    "l": Unit.LITRE,
    "lit": Unit.LITRE,
    "ml": Unit.MILLILITRE,
}


def _gtin(value):
    try:
        return normalise_gtin(str(value or ""))
    except Exception:
        return None


def _date(value):
    """Dates as ISO (2025-07-01) or Vietnamese order (01/07/2025)."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value or "").strip()
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date().isoformat()
    except ValueError:
        return text


class BatchImporter(Importer):
    kind = "batches"
    done_url = "trace:batches"
    what = gettext_lazy("batches")
    columns = COLUMNS
    aliases = ALIASES

    def __init__(self, user):
        super().__init__(user)
        self.products = dict(products_for(user).values_list("gtin", "pk"))
        self.visible = {
            f"{gtin}:{lot}": pk
            for pk, gtin, lot in Batch.objects.visible_to(user).values_list(
                "pk", "product__gtin", "lot"
            )
        }

    def form_for(self, row):
        data = {c.name: row.get(c.name, "") for c in COLUMNS}
        gtin = _gtin(data["gtin"])
        data["product"] = self.products.get(gtin, f"unknown:{data['gtin']}")
        data["production_date"] = _date(data["production_date"])
        data["expiry_date"] = _date(data["expiry_date"])
        data["date_kind"] = str(data["date_kind"] or "15")
        unit = str(data["unit"] or "").strip()
        data["unit"] = UNIT_WORDS.get(unit.lower(), unit)
        data["lot"] = str(data["lot"]).strip()
        inputs = []
        for ref in filter(None, (r.strip() for r in str(data["inputs"] or "").split(";"))):
            gtin_part, _sep, lot = ref.partition(":")
            key = f"{_gtin(gtin_part)}:{lot}"
            inputs.append(self.visible.get(key, f"unknown:{ref}"))
        form = BatchForm(data={**data, "inputs": inputs}, user=self.user)
        form.fields["inputs"].error_messages["invalid_pk_value"] = _(
            "Unknown input batch: write inputs as GTIN:LOT separated by “;”."
        )
        form.fields["product"].error_messages["invalid_choice"] = _(
            "No product of yours has GTIN “%(value)s”, or it has no GTIN yet."
        ) % {"value": row.get("gtin", "")}
        return form

    def unique_key(self, row):
        return ("lot", f"{_gtin(row.get('gtin'))}:{str(row.get('lot', '')).strip()}")

    def save(self, form):
        batch = form.save(commit=False)
        return create_batch(batch, form.cleaned_data.get("inputs") or (), self.user)
