from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """mapping[key] or None: for score dicts keyed by criterion code."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def points(value):
    """1.0 → 1, 2.50 → 2.5, None → —."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    return str(value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize())
