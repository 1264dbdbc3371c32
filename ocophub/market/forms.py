"""Forms of the market's staff and buyer pages. The rules are the models' (Listing.clean,
Enquiry.clean): the forms choose the products in the user's scope and word the inputs."""

from django import forms
from django.utils.translation import gettext_lazy

from ocophub.core.i18n import page_name
from ocophub.products.models import PUBLISHED

from .models import ClosedReason, Enquiry, Listing, listable_products

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProductChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{page_name(obj)} · {obj.producer.name}"


class ListingForm(forms.ModelForm):
    product = ProductChoice(label=gettext_lazy("product"), queryset=Listing.objects.none())

    class Meta:
        model = Listing
        fields = ["product", "platform", "url", "price", "status"]
        widgets = {
            "url": forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
            "price": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The product of a listing stays; a new one is chosen among the published
        # products the user may list.
        if self.instance.pk:
            del self.fields["product"]
        else:
            self.fields["product"].queryset = (
                listable_products(user)
                .filter(status__in=PUBLISHED)
                .select_related("producer")
                .order_by("name")
            )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # Blank is refused by the rule, in its own words.
    )


class CloseForm(forms.Form):
    # Named as the model's fields: the rule's messages land beside them.
    closed_reason = forms.ChoiceField(
        label=gettext_lazy("why is it closed?"),
        choices=ClosedReason.choices,
        widget=forms.RadioSelect,
        required=False,  # Blank is refused by the rule, in its own words.
    )
    closed_note = forms.CharField(
        label=gettext_lazy("note for the buyer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class EnquiryForm(forms.ModelForm):
    class Meta:
        model = Enquiry
        fields = ["quantity", "needed_by", "place", "message"]
        widgets = {"needed_by": DATE, "message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Blank is refused by the rule (Enquiry.clean), in its own words.
        self.fields["quantity"].required = False


class ConnectionsForm(forms.Form):
    """The office's view of trade connections: a period and a grouping."""

    GROUPS = [
        ("product", gettext_lazy("product")),
        ("commune", gettext_lazy("commune")),
        ("month", gettext_lazy("month")),
    ]
    start = forms.DateField(label=gettext_lazy("from"), required=False, widget=DATE)
    end = forms.DateField(label=gettext_lazy("to"), required=False, widget=DATE)
    by = forms.ChoiceField(label=gettext_lazy("per"), choices=GROUPS, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", gettext_lazy("The end of the period is before its start."))
        return data
