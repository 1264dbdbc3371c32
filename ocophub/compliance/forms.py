"""The eligibility question as a form: batches chosen from the caller's own (or given
by Digital Link, as a scanner reads them), a market and a date; a change of a code's
status; an inspection in the field with its findings and position; a boundary drawn
on the map, alone or with a new growing area."""

import json
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.core.i18n import page_name
from ocophub.places.fields import CommuneField
from ocophub.producers.models import Producer
from ocophub.trace.models import Batch

from . import eligibility
from .areas import CheckedArea, Refused, check_area
from .models import (
    BoundarySource,
    CodeMove,
    CodeStatus,
    Crop,
    FindingKind,
    InspectionKind,
    Market,
    Severity,
    Standard,
)
from .position import position_errors

# Enough to pick from on a phone; older batches are named by link or id.
BATCH_CHOICES = 300


class BatchChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Batch) -> str:
        return f"{page_name(obj.product)} · {obj.lot} ({date_format(obj.production_date)})"


class EligibilityForm(forms.Form):
    batches = BatchChoice(
        label=gettext_lazy("batches"),
        queryset=Batch.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    links = forms.CharField(
        label=gettext_lazy("or batch links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "url"}),
        help_text=gettext_lazy(
            "One per line: the Digital Link of a batch or of a package (as the QR code "
            "reads), or a batch number."
        ),
    )
    market = forms.ModelChoiceField(
        label=gettext_lazy("market"), queryset=Market.objects.all(), to_field_name="code"
    )
    date = forms.DateField(
        label=gettext_lazy("date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = Batch.objects.visible_to(user).select_related("product")
        ids = list(self.scope.order_by("-production_date", "-pk").values_list("pk", flat=True))
        batches = cast(forms.ModelMultipleChoiceField, self.fields["batches"])
        batches.queryset = self.scope.filter(pk__in=ids[:BATCH_CHOICES])
        market = cast(forms.ModelChoiceField, self.fields["market"])
        market.label_from_instance = self.market_label  # type: ignore[assignment]
        self.fields["date"].initial = timezone.localdate()

    @staticmethod
    def market_label(market: Market) -> str:
        return f"{page_name(market)} ({market.code})"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        chosen = list(data.get("batches") or [])
        unknown = []
        for line in (data.get("links") or "").splitlines():
            ref = line.strip()
            if not ref:
                continue
            batch = eligibility.find_batch(ref, self.scope)
            if batch is None:
                unknown.append(ref)
            elif batch not in chosen:
                chosen.append(batch)
        if unknown:
            self.add_error(
                "links",
                _("No batch you may see is %(refs)s.") % {"refs": ", ".join(unknown)},
            )
        elif not chosen and not self.has_error("batches"):
            self.add_error("batches", _("Choose at least one batch, or give its link."))
        data["chosen"] = chosen
        return data


class CodeStatusForm(forms.Form):
    """A change of a code's own status: to one of the moves its lifecycle allows now."""

    status = forms.ChoiceField(label=gettext_lazy("new status"))
    on = forms.DateField(
        label=gettext_lazy("effective on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, holder: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        # Back in use reads as the move it is: reinstated after a suspension, renewed
        # after an expiry.
        back = CodeMove.RENEWED if holder.status == CodeStatus.EXPIRED else CodeMove.REINSTATED
        status = cast(forms.ChoiceField, self.fields["status"])
        status.choices = [
            (s, back.label if s == CodeStatus.ACTIVE else CodeStatus(s).label)
            for s in holder.next_statuses()
        ]

    def clean_on(self) -> Any:
        # The stored status changes now: a change dated ahead would read wrong until then.
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("A change of status takes effect today or earlier."))
        return on


class InspectionForm(forms.Form):
    """An inspection in the field, on the inspector's phone: the position comes from the
    browser (static/compliance/inspect.js fills the hidden fields) and is checked here
    against Vietnam's extent and the code's place; without one the inspector says so."""

    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=InspectionKind.choices)
    on = forms.DateField(label=gettext_lazy("date"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(
        label=gettext_lazy("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_visit = forms.DateField(
        label=gettext_lazy("next visit due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    accuracy_m = forms.FloatField(required=False, widget=forms.HiddenInput)
    no_position = forms.BooleanField(
        label=gettext_lazy("The phone could not give a position"), required=False
    )

    def __init__(self, *args: Any, holder: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.holder = holder

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("An inspection is recorded once it is made."))
        return on

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        lat, lon = data.get("latitude"), data.get("longitude")
        if lat is None and lon is None:
            if not data.get("no_position"):
                self.add_error(
                    None,
                    _(
                        "Record your position (allow this site to use your location), or "
                        "tick that the phone could not give one."
                    ),
                )
            return data
        on = data.get("on") or timezone.localdate()
        # The position's fields are hidden: their problems are the form's.
        for message in position_errors(self.holder, lat, lon, data.get("accuracy_m"), on).values():
            self.add_error(None, message)
        next_visit = data.get("next_visit")
        if next_visit is not None and next_visit < on:
            self.add_error("next_visit", _("The next visit comes after this one."))
        return data


class FindingForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("finding"),
        choices=[("", "—"), *FindingKind.choices],
        required=False,
    )
    severity = forms.ChoiceField(
        label=gettext_lazy("severity"), choices=Severity.choices, initial=Severity.MINOR
    )
    market = forms.ModelChoiceField(
        label=gettext_lazy("only for market"),
        queryset=Market.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("every market"),
    )
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        market = cast(forms.ModelChoiceField, self.fields["market"])
        market.label_from_instance = EligibilityForm.market_label  # type: ignore[assignment]


FindingFormSet = forms.formset_factory(FindingForm, extra=2, max_num=10)


class BoundaryForm(forms.Form):
    """A growing area's new boundary, drawn on the map (static/compliance/boundary.js
    writes the GeoJSON here) or pasted; checked and measured by areas.check_shape."""

    geometry = forms.CharField(
        label=gettext_lazy("boundary (GeoJSON)"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Draw the boundary on the map first.")},
    )
    valid_from = forms.DateField(
        label=gettext_lazy("valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()

    def clean_geometry(self) -> Any:
        try:
            return json.loads(self.cleaned_data["geometry"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("The boundary is not GeoJSON: draw it on the map, or paste a Polygon.")
            ) from exc


# Above this many producers to choose from, the page offers a box to filter the list.
PRODUCER_FILTER_FROM = 15


class AreaForm(BoundaryForm):
    """A new growing area with its boundary drawn on the map (or pasted). The form reads
    the fields; areas.check_area holds the rules (code schemes, the commune in the
    official's province, the shape), so the page refuses what the API refuses."""

    code = forms.CharField(
        label=gettext_lazy("code"),
        max_length=60,
        help_text=gettext_lazy("As issued, for example VN-HBOR-0017."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    producer = forms.ModelChoiceField(label=gettext_lazy("owner"), queryset=Producer.objects.none())
    crop = forms.ModelChoiceField(
        label=gettext_lazy("crop"), queryset=Crop.objects.all(), to_field_name="key"
    )
    variety = forms.CharField(label=gettext_lazy("variety"), max_length=100, required=False)
    # The rule of who writes where is areas.check_area's: no user here, so its message
    # ("You do not supervise this commune.") is the one given.
    commune = CommuneField(label=gettext_lazy("commune"))
    standard = forms.ChoiceField(
        label=gettext_lazy("standard applied"), choices=Standard.choices, required=False
    )
    expected_yield_kg = forms.DecimalField(
        label=gettext_lazy("expected yield per season (kg)"),
        max_digits=12,
        decimal_places=1,
        min_value=0,
        required=False,
    )
    households = forms.CharField(
        label=gettext_lazy("households"),
        required=False,
        help_text=gettext_lazy("The head of each household farming in the area, one per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = [
        "code",
        "producer",
        "crop",
        "variety",
        "commune",
        "standard",
        "expected_yield_kg",
        "households",
        "valid_from",
        "geometry",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        producer = cast(forms.ModelChoiceField, self.fields["producer"])
        producer.queryset = Producer.objects.visible_to(user).order_by("name")
        crop = cast(forms.ModelChoiceField, self.fields["crop"])
        crop.label_from_instance = page_name  # type: ignore[assignment]
        self.long_producer_list = producer.queryset.count() > PRODUCER_FILTER_FROM
        self.user = user
        self.checked: CheckedArea | None = None

    def clean_households(self) -> list[str]:
        lines = self.cleaned_data["households"].splitlines()
        return [name for name in (line.strip() for line in lines) if name]

    def clean(self) -> dict[str, Any]:
        """Every check of areas.check_area on what was read, even when a field is
        wrong already, so all the problems show at once (a field keeps its own)."""
        super().clean()
        try:
            self.checked = check_area(self.area_data(), self.user)
        except Refused as exc:
            for name, message in exc.errors.items():
                if name not in self.fields:
                    self.add_error(None, message)
                elif not self.has_error(name):
                    self.add_error(name, message)
        return self.cleaned_data

    def area_data(self) -> dict[str, Any]:
        """What areas.register_area takes, drawn on the map."""
        data = dict(self.cleaned_data)
        crop = data.get("crop")
        data["crop"] = crop.key if crop is not None else ""
        data["source"] = BoundarySource.DRAWN
        return data
