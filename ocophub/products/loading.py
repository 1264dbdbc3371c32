"""Load the OCOP product-group taxonomy from its data file (idempotent)."""

import json
from pathlib import Path

from django.db import transaction

from .models import ProductGroup

GROUPS_JSON = Path(__file__).parent / "data" / "product-groups.json"


@transaction.atomic
def load_shipped(path=GROUPS_JSON):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    count = 0
    for classification in ("2019", "2023"):
        for pos, group in enumerate(data[classification]):
            parent, _ = ProductGroup.objects.update_or_create(
                classification=classification,
                code=group["code"],
                defaults={"name": group["name"], "name_en": group["name_en"], "position": pos},
            )
            count += 1
            for cpos, child in enumerate(group.get("children", [])):
                ProductGroup.objects.update_or_create(
                    classification=classification,
                    code=child["code"],
                    defaults={
                        "name": child["name"],
                        "name_en": child["name_en"],
                        "parent": parent,
                        "position": cpos,
                    },
                )
                count += 1
    return count
