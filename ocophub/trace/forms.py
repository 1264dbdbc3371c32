import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.places.fields import CommuneField
from ocophub.products.gtin import check_digit
from ocophub.products.models import Product

from .models import Batch, DateKind, Unit, validate_lot

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_BULK = 1000
MAX_LABELS = 2000


def products_for(user):
    return Product.objects.editable_by(user).exclude(gtin=None).select_related("producer")


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = [
            "product",
            "lot",
            "production_date",
            "expiry_date",
            "date_kind",
            "quantity",
            "unit",
            "origin_commune",
            "inputs",
            "note",
        ]
        widgets = {"production_date": DATE, "expiry_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["product"].queryset = products_for(user)
        self.fields["product"].error_messages["invalid_choice"] = _(
            "Unknown product, one without a GTIN, or one you may not manage."
        )
        self.fields["origin_commune"] = CommuneField(
            label=gettext_lazy("origin commune"), required=False, user=None
        )
        self.fields["inputs"].queryset = Batch.objects.visible_to(user).select_related("product")
        self.fields["inputs"].required = False

    def clean(self):
        data = super().clean()
        product, lot = data.get("product"), data.get("lot")
        if product and lot and Batch.objects.filter(product=product, lot=lot).exists():
            self.add_error("lot", _("This product already has a batch with lot %s.") % lot)
        return data


class BulkBatchForm(forms.Form):
    """N lots at once: prefix plus a running number (HT2025-001, HT2025-002, ...)."""

    product = forms.ModelChoiceField(label=gettext_lazy("product"), queryset=Product.objects.none())
    # A field, not Form.prefix: the form's metaclass moves declared fields into base_fields.
    prefix = forms.CharField(  # type: ignore[assignment]
        label=gettext_lazy("lot number prefix"), max_length=14, validators=[validate_lot]
    )
    first = forms.IntegerField(label=gettext_lazy("first number"), min_value=0, initial=1)
    count = forms.IntegerField(
        label=gettext_lazy("number of lots"), min_value=1, max_value=MAX_BULK
    )
    production_date = forms.DateField(label=gettext_lazy("production date"), widget=DATE)
    expiry_date = forms.DateField(
        label=gettext_lazy("expiry or best-before date"), required=False, widget=DATE
    )
    date_kind = forms.ChoiceField(
        label=gettext_lazy("date printed"), choices=DateKind.choices, initial=DateKind.BEST_BEFORE
    )
    quantity = forms.DecimalField(
        label=gettext_lazy("quantity per lot"), required=False, max_digits=12, decimal_places=3
    )
    unit = forms.ChoiceField(label=gettext_lazy("unit"), choices=Unit.choices, initial=Unit.PIECE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products_for(user)

    def lots(self):
        data = self.cleaned_data
        last = data["first"] + data["count"] - 1
        width = max(3, len(str(last)))
        return [f"{data['prefix']}{n:0{width}d}" for n in range(data["first"], last + 1)]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        lots = self.lots()
        too_long = [lot for lot in lots if len(lot) > 20]
        if too_long:
            raise forms.ValidationError(
                _("Lot %(lot)s would be longer than 20 characters: shorten the prefix.")
                % {"lot": too_long[0]}
            )
        taken = set(
            Batch.objects.filter(product=data["product"], lot__in=lots).values_list(
                "lot", flat=True
            )
        )
        if taken:
            raise forms.ValidationError(
                _("These lots exist already for this product: %(lots)s")
                % {"lots": ", ".join(sorted(taken)[:10])}
            )
        batches = []
        for lot in lots:
            batch = Batch(
                product=data["product"],
                lot=lot,
                production_date=data["production_date"],
                expiry_date=data.get("expiry_date"),
                date_kind=data["date_kind"],
                quantity=data.get("quantity"),
                unit=data["unit"],
            )
            try:
                batch.full_clean(validate_unique=False, validate_constraints=False)
            except forms.ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
                return data
            batches.append(batch)
        self.batches = batches
        return data


class SerialsForm(forms.Form):
    count = forms.IntegerField(
        label=gettext_lazy("number of labels"), min_value=1, max_value=MAX_LABELS, initial=24
    )
    columns = forms.IntegerField(label=gettext_lazy("columns"), min_value=1, max_value=8, initial=4)
    rows = forms.IntegerField(label=gettext_lazy("rows"), min_value=1, max_value=12, initial=6)


def validate_gln(value):
    if not (value.isdigit() and len(value) == 13):
        raise forms.ValidationError(
            _("A GLN has 13 digits; “%(value)s” does not.") % {"value": value}
        )
    if check_digit(value[:-1]) != value[-1]:
        raise forms.ValidationError(
            _("GLN “%(value)s” has a wrong check digit: the last digit should be %(digit)s.")
            % {"value": value, "digit": check_digit(value[:-1])}
        )


class BatchStepForm(forms.Form):
    """A supply-chain step of a batch, recorded as an EPCIS event."""

    STEPS = [
        ("packing", gettext_lazy("Packed")),
        ("storing", gettext_lazy("Stored")),
        ("shipping", gettext_lazy("Shipped")),
        ("receiving", gettext_lazy("Received")),
        ("inspecting", gettext_lazy("Inspected")),
    ]
    step = forms.ChoiceField(label=gettext_lazy("step"), choices=STEPS)
    when = forms.DateTimeField(
        label=gettext_lazy("date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    quantity = forms.DecimalField(
        label=gettext_lazy("quantity"),
        required=False,
        min_value=Decimal("0.001"),
        max_digits=12,
        decimal_places=3,
        help_text=gettext_lazy("Leave empty for the whole batch."),
    )
    location = forms.CharField(
        label=gettext_lazy("where (GLN)"), required=False, max_length=13, validators=[validate_gln]
    )
    partner = forms.CharField(
        label=gettext_lazy("shipped to / received from (GLN)"),
        required=False,
        max_length=13,
        validators=[validate_gln],
    )
    conformant = forms.TypedChoiceField(
        label=gettext_lazy("inspection result"),
        choices=[("1", gettext_lazy("conformant")), ("0", gettext_lazy("not conformant"))],
        coerce=lambda v: v == "1",
        empty_value=True,  # type: ignore[arg-type]  # no answer reads as conformant
        initial="1",
        required=False,
    )

    def __init__(self, *args, batch=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        if not self.is_bound:
            self.initial.setdefault("when", timezone.localtime().replace(second=0, microsecond=0))

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("This is in the future: record a step once it happened."))
        if self.batch is not None and timezone.localtime(when).date() < self.batch.production_date:
            raise forms.ValidationError(
                _("This is before the batch was produced (%(date)s).")
                % {"date": date_format(self.batch.production_date)}
            )
        return when

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        whole = self.batch.quantity if self.batch is not None else None
        if quantity is not None and whole is not None and quantity > whole:
            raise forms.ValidationError(
                _("The batch holds only %(n)s.") % {"n": f"{whole.normalize():f}"}
            )
        return quantity

    def details(self):
        data = self.cleaned_data
        return {
            "quantity": data["quantity"],
            "location": data["location"],
            "partner": data["partner"],
            "conformant": data["conformant"],
        }
