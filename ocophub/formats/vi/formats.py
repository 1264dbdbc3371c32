"""Vietnamese: 01/07/2025 and 01/07/2025 14:30 (see ocophub/formats/__init__.py)."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
