from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ocophub.places.models import District

from .dashboard import home_province, level_of, unit_choices
from .models import Target, find_unit, owning_province


def target_unit_choices(user):
    home = home_province(user)
    groups = unit_choices(home)
    if home is None:
        # The whole country: districts too (no current communes: ~3,300 of them).
        districts = District.objects.select_related("province").order_by("province__name", "name")
        groups.append(
            (
                _("Districts before July 2025"),
                [(f"legacy|district:{d.code}", f"{d.name} ({d.province.name})") for d in districts],
            )
        )
    return [("", "—")] + groups


class TargetForm(forms.ModelForm):
    unit = forms.ChoiceField(
        label=_lazy("unit"),
        help_text=_lazy(
            "Districts and provinces before July 2025 count the records made under their "
            "communes; current units also count older records mapped to them."
        ),
    )

    class Meta:
        model = Target
        fields = [
            "title",
            "kind",
            "unit",
            "threshold",
            "min_stars",
            "deadline",
            "baseline",
            "baseline_date",
            "source_document",
            "notes",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "baseline_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].choices = target_unit_choices(user)
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Choose the unit from the list: only units of your province may be chosen."
        )
        target = self.instance
        if target.pk:
            self.initial["unit"] = f"{target.unit_era}|{target.unit_level}:{target.unit_code}"

    def clean_unit(self):
        value = self.cleaned_data["unit"]
        era, _sep, rest = value.partition("|")
        level, _sep, code = rest.partition(":")
        unit = find_unit(level, era, int(code)) if code.isdigit() else None
        if unit is None:
            raise forms.ValidationError(_("Unknown unit; choose one from the list."))
        home = home_province(self.user)
        if home is not None and owning_province(unit) != home:
            raise forms.ValidationError(_("%(unit)s is outside your province.") % {"unit": unit})
        return unit

    def _post_clean(self):
        unit = self.cleaned_data.get("unit")
        if unit is not None:
            self.instance.unit_era = unit.era
            self.instance.unit_level = level_of(unit)
            self.instance.unit_code = unit.code
        super()._post_clean()

    def _update_errors(self, errors):
        # The model names the unit by three fields; the form has one.
        if hasattr(errors, "error_dict"):
            for name in ("unit_era", "unit_level", "unit_code"):
                if name in errors.error_dict:
                    errors.error_dict.setdefault("unit", []).extend(errors.error_dict.pop(name))
        super()._update_errors(errors)
