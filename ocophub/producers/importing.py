from django.utils.translation import gettext_lazy

from ocophub.core.importing import Importer

from .forms import ProducerForm
from .validators import normalise_registration_number

COLUMNS = [
    ("kind", True),
    ("name", True),
    ("registration_number", True),
    ("founded_on", False),
    ("representative", True),
    ("phone", False),
    ("email", False),
    ("website", False),
    ("address", False),
    ("commune_code", True),
    ("member_count", False),
    ("status", False),
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
        data = {c: row.get(c, "") for c, _r in COLUMNS if c != "commune_code"}
        data["commune"] = row.get("commune_code", "")
        data["status"] = data.get("status") or "active"
        return ProducerForm(data=data, user=self.user)

    def unique_key(self, row):
        value = normalise_registration_number(row.get("registration_number"))
        return ("registration_number", value) if value else None
