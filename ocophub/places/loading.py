"""Load both eras of administrative units and the legacy-to-current mapping.

Current units come from the installed vietnam-provinces (2025.x); legacy units from the
CSV derived from its 0.6.0 release (scripts/derive_legacy_units.py). Loading is an
upsert on (era, code), so running it again changes nothing and keeps every mapping.
"""

import csv
import gzip
import io
from collections import Counter
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from vietnam_provinces import Province as VNProvince
from vietnam_provinces import Ward as VNWard

from ocophub.core.text import fold

from .models import ERA_DATES, Commune, District, Era, MappingSource, Province

LEGACY_CSV = Path(__file__).parent / "data" / "legacy-units.csv.gz"
UNIT_FIELDS = ["name", "division_type", "valid_from", "valid_until", "search_text"]


def _upsert(model, objects, extra_fields=()):
    for obj in objects:
        obj.search_text = fold(obj.name)
    model.objects.bulk_create(
        objects,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["era", "code"],
        update_fields=UNIT_FIELDS + list(extra_fields),
    )
    return {u.code: u for u in model.objects.filter(era=objects[0].era)} if objects else {}


def load_current():
    start, end = ERA_DATES[Era.CURRENT]
    provinces = _upsert(
        Province,
        [
            Province(
                era=Era.CURRENT,
                code=int(p.code),
                name=p.name,
                division_type=p.division_type.value,
                valid_from=start,
                valid_until=end,
            )
            for p in VNProvince.iter_all()
        ],
    )
    communes = [
        Commune(
            era=Era.CURRENT,
            code=int(w.code),
            name=w.name,
            division_type=w.division_type.value,
            valid_from=start,
            valid_until=end,
            province=provinces[int(w.province_code)],
        )
        for w in VNWard.iter_all()
    ]
    _upsert(Commune, communes, extra_fields=["province"])
    return len(provinces), len(communes)


def load_legacy(path=LEGACY_CSV):
    start, end = ERA_DATES[Era.LEGACY]
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    provinces, districts = {}, {}
    for r in rows:
        provinces.setdefault(
            int(r["province_code"]),
            Province(
                era=Era.LEGACY,
                code=int(r["province_code"]),
                name=r["province_name"],
                division_type=r["province_type"],
                valid_from=start,
                valid_until=end,
            ),
        )
        districts.setdefault(int(r["district_code"]), (int(r["province_code"]), r))
    provinces = _upsert(Province, list(provinces.values()))
    districts = _upsert(
        District,
        [
            District(
                era=Era.LEGACY,
                code=code,
                name=r["district_name"],
                division_type=r["district_type"],
                valid_from=start,
                valid_until=end,
                province=provinces[pcode],
            )
            for code, (pcode, r) in districts.items()
        ],
        extra_fields=["province"],
    )
    communes = [
        Commune(
            era=Era.LEGACY,
            code=int(r["commune_code"]),
            name=r["commune_name"],
            division_type=r["commune_type"],
            valid_from=start,
            valid_until=end,
            province=provinces[int(r["province_code"])],
            district=districts[int(r["district_code"])],
        )
        for r in rows
    ]
    _upsert(Commune, communes, extra_fields=["province", "district"])
    return len(provinces), len(districts), len(communes)


def map_carried_codes():
    """Map each legacy commune whose code a current commune carries on.

    The 2025 reform gave each new commune the code of one of the communes merged into
    it, so a shared code is evidence of succession. Mappings already imported or entered
    by hand are left alone. Provinces follow the majority of their communes.
    """
    current = dict(Commune.objects.filter(era=Era.CURRENT).values_list("code", "id"))
    to_update = []
    for commune in Commune.objects.filter(era=Era.LEGACY, successor__isnull=True):
        if commune.code in current and commune.mapping_source in ("", MappingSource.CODE_CARRIED):
            commune.successor_id = current[commune.code]
            commune.mapping_source = MappingSource.CODE_CARRIED
            to_update.append(commune)
    Commune.objects.bulk_update(to_update, ["successor", "mapping_source"], batch_size=2000)
    map_provinces()
    return len(to_update)


def map_provinces():
    votes = {}
    pairs = Commune.objects.filter(era=Era.LEGACY, successor__isnull=False).values_list(
        "province_id", "successor__province_id"
    )
    for legacy_id, current_id in pairs:
        votes.setdefault(legacy_id, Counter())[current_id] += 1
    for legacy_id, counter in votes.items():
        Province.objects.filter(id=legacy_id).update(successor_id=counter.most_common(1)[0][0])


@transaction.atomic
def load_shipped():
    counts = {"current": load_current(), "legacy": load_legacy()}
    counts["mapped"] = map_carried_codes()
    return counts


class MappingError(ValueError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


def import_mapping(fileobj):
    """Import legacy→current commune pairs from CSV (legacy_code,current_code).

    Every row is checked before anything is written; any bad row and nothing changes.
    """
    raw = fileobj.read()
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MappingError([_("The file is not UTF-8 text; save it as CSV UTF-8.")]) from exc
    reader = csv.DictReader(io.StringIO(raw))
    missing = {"legacy_code", "current_code"} - set(reader.fieldnames or [])
    if missing:
        raise MappingError([_("Missing column(s): %s") % ", ".join(sorted(missing))])
    legacy = dict(Commune.objects.filter(era=Era.LEGACY).values_list("code", "id"))
    current = dict(Commune.objects.filter(era=Era.CURRENT).values_list("code", "id"))
    pairs, problems = [], []
    for line, row in enumerate(reader, start=2):
        lc, cc = (row.get("legacy_code") or "").strip(), (row.get("current_code") or "").strip()
        if not lc.isdigit() or int(lc) not in legacy:
            problems.append(
                _("Row %(row)s, legacy_code: unknown legacy commune code “%(code)s”.")
                % {"row": line, "code": lc}
            )
            continue
        if not cc.isdigit() or int(cc) not in current:
            problems.append(
                _("Row %(row)s, current_code: unknown current commune code “%(code)s”.")
                % {"row": line, "code": cc}
            )
            continue
        pairs.append((legacy[int(lc)], current[int(cc)]))
    if problems:
        raise MappingError(problems)
    with transaction.atomic():
        for legacy_id, current_id in pairs:
            Commune.objects.filter(id=legacy_id).update(
                successor_id=current_id, mapping_source=MappingSource.IMPORTED
            )
        map_provinces()
    return len(pairs)
