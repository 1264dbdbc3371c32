"""The shipped reference data of compliance (code schemes, markets, crops with their
minimum area, substance lists), loaded idempotently: what the office changed in a row
stays changed unless the file names the row again with other values."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .models import CodeScheme, Crop, ListEntry, Market, Substance, SubstanceList

DATA = Path(__file__).resolve().parent / "data" / "reference.json"


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def load(path: Path = DATA) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    for row in data["schemes"]:
        fields = {**row, "since": _date(row["since"]), "until": _date(row["until"])}
        CodeScheme.objects.update_or_create(key=fields.pop("key"), defaults=fields)
    markets = {}
    for row in data["markets"]:
        fields = dict(row)
        markets[row["code"]], _new = Market.objects.update_or_create(
            code=fields.pop("code"), defaults=fields
        )
    for row in data["crops"]:
        fields = {**row, "min_area_ha": Decimal(row["min_area_ha"]), "source": data["crop_source"]}
        Crop.objects.update_or_create(key=fields.pop("key"), defaults=fields)
    for row in data["lists"]:
        entries = row["entries"]
        substance_list, _new = SubstanceList.objects.update_or_create(
            key=row["key"],
            defaults={
                "name": row["name"],
                "market": markets.get(row["market"]) if row["market"] else None,
                "kind": row["kind"],
                "valid_from": _date(row["valid_from"]),
                "valid_until": _date(row.get("valid_until")),
                "source": row["source"],
                "sample": row["source"].startswith("SAMPLE"),
            },
        )
        for name, phi in entries:
            substance, _new = Substance.objects.get_or_create(name=Substance.normalise(name))
            ListEntry.objects.update_or_create(
                substance_list=substance_list, substance=substance, defaults={"phi_days": phi}
            )
    return (
        f"{len(data['schemes'])} code schemes, {len(data['markets'])} markets, "
        f"{len(data['crops'])} crops, {len(data['lists'])} substance lists"
    )
