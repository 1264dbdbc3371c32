"""Derive the legacy (pre-July-2025) administrative units file from vietnam-provinces 0.6.0.

One environment holds one version of vietnam-provinces, and the platform runs the
current one (2025.x), so the three-tier units travel as a CSV derived from 0.6.0:

    python scripts/derive_legacy_units.py

makes a throwaway virtualenv with vietnam-provinces==0.6.0, reads its nested data and
writes ocophub/places/data/legacy-units.csv.gz (one row per commune).
"""

import csv
import gzip
import json
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "ocophub/places/data/legacy-units.csv.gz"
PREFIXES = [
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Phường",
    "Quận",
    "Huyện",
    "Tỉnh",
    "Xã",
]


def division_type(name):
    for prefix in PREFIXES:
        # The source spells a few as "Thành Phố"; compare case-insensitively.
        if name.lower().startswith(prefix.lower() + " "):
            return prefix.lower()
    raise ValueError(f"no division type in {name!r}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        venv.create(tmp, with_pip=True)
        py = Path(tmp) / "bin" / "python"
        subprocess.run([py, "-m", "pip", "install", "-q", "vietnam-provinces==0.6.0"], check=True)
        path = subprocess.run(
            [
                py,
                "-c",
                "import vietnam_provinces as v, pathlib; "
                "print(pathlib.Path(v.__file__).parent / 'data' / 'nested-divisions.json')",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        provinces = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = 0
    with gzip.open(OUT, "wt", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "province_code",
                "province_name",
                "province_type",
                "district_code",
                "district_name",
                "district_type",
                "commune_code",
                "commune_name",
                "commune_type",
            ]
        )
        for p in provinces:
            for d in p["districts"]:
                for w in d["wards"]:
                    out.writerow(
                        [
                            p["code"],
                            p["name"],
                            division_type(p["name"]),
                            d["code"],
                            d["name"],
                            division_type(d["name"]),
                            w["code"],
                            w["name"],
                            division_type(w["name"]),
                        ]
                    )
                    rows += 1
    print(f"wrote {rows} communes to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
