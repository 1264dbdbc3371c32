"""The production diary's forms, made for a phone in the field: a new season, an input
applied (active ingredients ticked from the substance list, filtered by typing), a
harvest with the batches it fed (only batches of the area's producer's products).

An input with a banned ingredient and a harvest inside a pre-harvest interval are
accepted: the diary records what was done, and the page flags it (diary.py)."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.core.i18n import page_name
from ocophub.trace.models import Batch

from .forms import BATCH_CHOICES
from .models import Application, GrowingArea, Harvest, Season, Substance


def _date_input() -> forms.DateInput:
    # ISO whatever the language: a date input reads and writes YYYY-MM-DD only.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _no_later_than_today(day: Any) -> Any:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(
            _("The diary records what was done: give a date no later than today.")
        )
    return day


class SeasonForm(forms.ModelForm):
    class Meta:
        model = Season
        fields = ["name", "starts", "ends", "declared_yield_kg"]
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. Spring 2026")}),
            "starts": _date_input(),
            "ends": _date_input(),
            "declared_yield_kg": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"starts": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_declared_yield_kg(self) -> Any:
        value = self.cleaned_data["declared_yield_kg"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("The declared yield must be more than zero."))
        return value


class SubstanceChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ApplicationForm(forms.ModelForm):
    substances = SubstanceChoice(
        label=gettext_lazy("active ingredients"),
        queryset=Substance.objects.all(),
        required=False,
        help_text=gettext_lazy("Tick each one on the product's label; none for a fertiliser."),
    )

    class Meta:
        model = Application
        fields = ["product_name", "substances", "dose", "applied_on", "applied_by", "phi_days"]
        widgets = {
            "dose": forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. 20 ml / 16 l")}),
            "applied_on": _date_input(),
            "phi_days": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, season: Season, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "applied_on": timezone.localdate(),
                "applied_by": user.get_full_name() or user.get_username(),
            },
        )
        super().__init__(*args, **kwargs)
        self.season = season

    def clean_applied_on(self) -> Any:
        day = _no_later_than_today(self.cleaned_data["applied_on"])
        if not self.season.starts <= day <= self.season.ends:
            raise forms.ValidationError(
                _("The date must be within the season (%(starts)s to %(ends)s).")
                % {"starts": date_format(self.season.starts), "ends": date_format(self.season.ends)}
            )
        return day


class BatchChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Batch) -> str:
        return f"{page_name(obj.product)} · {obj.lot} ({date_format(obj.production_date)})"


class HarvestForm(forms.ModelForm):
    batches = BatchChoice(
        label=gettext_lazy("batches"),
        queryset=Batch.objects.none(),
        required=False,
        help_text=gettext_lazy("The batches this harvest went into: each then knows its area."),
    )

    class Meta:
        model = Harvest
        fields = ["harvested_on", "quantity_kg", "batches"]
        widgets = {
            "harvested_on": _date_input(),
            "quantity_kg": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
        }

    def __init__(
        self,
        *args: Any,
        season: Season,
        user: Any,
        choices: int | None = BATCH_CHOICES,
        **kwargs: Any,
    ) -> None:
        # `choices`: how many of the newest batches the page offers; the API names any.
        kwargs.setdefault("initial", {"harvested_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.season = season
        area: GrowingArea = season.area
        # Only the batches of the area's producer's products: a harvest cannot feed
        # someone else's batch (and then the user's scope, as every batch list).
        scope = Batch.objects.visible_to(user).filter(product__producer_id=area.producer_id)
        if choices is not None:
            newest = scope.order_by("-production_date", "-pk").values_list("pk", flat=True)
            scope = Batch.objects.filter(pk__in=list(newest[:choices]))
        batches = cast(forms.ModelMultipleChoiceField, self.fields["batches"])
        batches.queryset = scope.select_related("product").order_by("-production_date", "-pk")
        producer = area.producer.name.replace("%", "%%")
        batches.error_messages["invalid_choice"] = _(
            "Batch %(value)s is not one of %(producer)s's batches: choose from the list."
        ) % {"value": "%(value)s", "producer": producer}

    def clean_harvested_on(self) -> Any:
        day = _no_later_than_today(self.cleaned_data["harvested_on"])
        if not self.season.starts <= day <= self.season.ends:
            raise forms.ValidationError(
                _("The harvest date must be within the season (%(starts)s to %(ends)s).")
                % {"starts": date_format(self.season.starts), "ends": date_format(self.season.ends)}
            )
        return day
