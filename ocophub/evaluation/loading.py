"""Load the criteria sets shipped in data/ (idempotent): every JSON file but
procedures.json, each validated and stored by criteria_io.save."""

import json
from pathlib import Path

from .criteria_io import CriteriaError, save

DATA_DIR = Path(__file__).parent / "data"


def load_shipped(replace=False):
    """Store every shipped set; a set already stored is left as it is unless replace is true."""
    loaded = []
    for path in sorted(DATA_DIR.glob("*.json")):
        if path.name == "procedures.json":
            continue
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        try:
            criteria_set, _created = save(data, replace=replace)
        except CriteriaError as exc:
            raise CriteriaError([f"{path.name}: {e}" for e in exc.errors]) from exc
        loaded.append(criteria_set)
    return loaded
