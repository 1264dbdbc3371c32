"""A form field for choosing a commune among the ~13,000 of both eras.

The widget is a text box with suggestions (htmx fills a datalist from
/places/communes/suggest); the value is a label ending in the unit's reference,
"Xã Mỹ Thành, Huyện Lạc Sơn, Tỉnh Hoà Bình [legacy:5275]", or a bare reference or code.
"""

import re

from django import forms
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Commune, Era, resolve_ref

REF_AT_END = re.compile(r"\[([a-z]+:\d+)\]\s*$")


def commune_label(commune):
    return f"{commune.full_name()} [{commune.ref}]"


class CommuneInput(forms.TextInput):
    def __init__(self, attrs=None):
        base = {
            "list": "commune-suggestions",
            "autocomplete": "off",
            "hx-get": reverse_lazy("places:suggest"),
            "hx-trigger": "input changed delay:250ms",
            "hx-target": "#commune-suggestions",
            "hx-swap": "innerHTML",
            "size": 60,
        }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Commune):
            return commune_label(value)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            commune = (
                Commune.objects.filter(pk=value).select_related("district", "province").first()
            )
            return commune_label(commune) if commune else value
        return value

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        return mark_safe(f'{html}<datalist id="commune-suggestions"></datalist>')


class CommuneField(forms.Field):
    widget = CommuneInput
    default_error_messages = {
        "unknown": _(
            "Unknown commune “%(value)s”: pick one from the suggestions, or enter its "
            "code (e.g. 5275, or legacy:5275 for a commune before July 2025)."
        ),
        "scope": _("You cannot register records in %(commune)s: it is outside your communes."),
    }

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Commune):
            return value
        text = str(value).strip()
        match = REF_AT_END.search(text)
        commune = resolve_ref(Commune, match.group(1) if match else text, Era.CURRENT)
        if commune is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        return commune

    def validate(self, value):
        super().validate(value)
        user = self.user
        if (
            value is not None
            and user is not None
            and user.is_staff_officer
            and not user.governs(value)
        ):
            raise forms.ValidationError(
                self.error_messages["scope"], code="scope", params={"commune": value.full_name()}
            )
