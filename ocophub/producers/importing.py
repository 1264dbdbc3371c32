from django.utils.translation import gettext_lazy

from ocophub.core.importing import Column, Importer

from .choices import ProducerKind, ProducerStatus
from .forms import ProducerForm
from .validators import normalise_registration_number

DATE_HELP = gettext_lazy("A date: 2025-07-01 or 01/07/2025.")
COMMUNE_HELP = gettext_lazy(
    "The commune code: 5323 (current) or legacy:5275 (a commune before July 2025)."
)
# The example is a made-up cooperative in Quyết Thắng (current commune 5323), Phú Thọ.
COLUMNS = [
    Column(
        "kind",
        True,
        gettext_lazy("Kind of producer"),
        ProducerKind.COOPERATIVE.value,
        choices=ProducerKind.choices,
    ),
    Column("name", True, gettext_lazy("Producer name"), "Hợp tác xã Mật ong Quyết Thắng"),
    Column(
        "registration_number",
        True,
        gettext_lazy("Registration or tax number"),
        "5400990015",
        gettext_lazy(
            "The tax number (10 digits, or 10-3 for a branch); a group or household "
            "business may give the representative's 12-digit citizen ID."
        ),
    ),
    Column("founded_on", False, gettext_lazy("Founded on"), "2019-04-20", DATE_HELP),
    Column("representative", True, gettext_lazy("Representative"), "Bùi Thị Hằng"),
    Column("phone", False, gettext_lazy("Phone"), "0912345678"),
    Column("email", False, gettext_lazy("Email"), "htx.quyetthang@example.vn"),
    Column("website", False, gettext_lazy("Website"), "https://quyetthang.example.vn"),
    Column("address", False, gettext_lazy("Address"), "Xóm Chiềng, xã Quyết Thắng"),
    Column("commune_code", True, gettext_lazy("Commune code"), "5323", COMMUNE_HELP),
    Column(
        "member_count",
        False,
        gettext_lazy("Number of members"),
        "12",
        gettext_lazy("A whole number."),
    ),
    Column(
        "status",
        False,
        gettext_lazy("Status"),
        ProducerStatus.ACTIVE.value,
        gettext_lazy("Empty means active."),
        ProducerStatus.choices,
    ),
]


def export_row(p):
    return [
        p.kind,
        p.name,
        p.registration_number,
        p.founded_on.isoformat() if p.founded_on else "",
        p.representative,
        p.phone,
        p.email,
        p.website,
        p.address,
        p.commune.ref,
        p.member_count or "",
        p.status,
    ]


class ProducerImporter(Importer):
    kind = "producers"
    done_url = "producers:list"
    what = gettext_lazy("producers")
    columns = COLUMNS
    aliases = {
        "loai": "kind",
        "ten": "name",
        "ma_so_thue": "registration_number",
        "xa": "commune_code",
        "commune": "commune_code",
    }
    field_columns = {"commune": "commune_code"}

    def form_for(self, row):
        data = {c.name: row.get(c.name, "") for c in COLUMNS if c.name != "commune_code"}
        data["commune"] = row.get("commune_code", "")
        data["status"] = data.get("status") or "active"
        return ProducerForm(data=data, user=self.user)

    def unique_key(self, row):
        value = normalise_registration_number(row.get("registration_number"))
        return ("registration_number", value) if value else None
