"""Forms of the market's staff and buyer pages. The rules are the models' (Listing.clean,
Enquiry.clean): the forms choose the products in the user's scope and word the inputs."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext, gettext_lazy

from ocophub.core.i18n import page_name
from ocophub.core.text import fold
from ocophub.products.models import PUBLISHED

from .models import ClosedReason, Enquiry, Listing, listable_products

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# A province has hundreds of products: the list offers this many, the search the rest.
PRODUCT_OPTIONS = 30


def product_label(product):
    return f"{page_name(product)} · {product.producer.name}"


class ProductChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return product_label(obj)


def listable_published(user):
    """The published products a user may list (listable_products), by name."""
    return (
        listable_products(user)
        .filter(status__in=PUBLISHED)
        .select_related("producer")
        .order_by("name", "pk")
    )


def product_options(products, text="", limit=PRODUCT_OPTIONS):
    """The first `limit` products whose name or producer holds every word of `text`,
    accents and case ignored ("mat ong thanh an" finds "Mật ong ... · HTX Thanh An")."""
    words = fold(text).split()
    found = []
    for product in products.iterator():
        label = product_label(product)
        if all(word in fold(label) for word in words):
            found.append((product.pk, label))
            if len(found) == limit:
                break
    return found


class ListingForm(forms.ModelForm):
    # With htmx, typing here swaps the product list's options for the matching ones
    # (listing_products); the product chosen is checked against the whole scope.
    product_search = forms.CharField(
        label=gettext_lazy("find the product"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "hx-get": reverse_lazy("market:listing_products"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#id_product",
                "aria-controls": "id_product",
            }
        ),
    )
    product = ProductChoice(label=gettext_lazy("product"), queryset=Listing.objects.none())
    field_order = ["product_search", "product"]

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
            del self.fields["product"], self.fields["product_search"]
            return
        products = listable_published(user)
        field = self.fields["product"]
        field.queryset = products
        # The list shows the first products (and the one chosen); the search finds others.
        options = product_options(products)
        chosen = products.filter(pk=self.data.get("product") or None).first()
        if chosen and chosen.pk not in {pk for pk, _label in options}:
            options.insert(0, (chosen.pk, product_label(chosen)))
        field.widget.choices = [("", "---------"), *options]
        count = products.count()
        if count > len(options):
            self.fields["product_search"].help_text = gettext(
                "Type part of the name or the producer: the list shows the first "
                "%(shown)s of %(count)s products."
            ) % {"shown": PRODUCT_OPTIONS, "count": count}
        else:
            del self.fields["product_search"]


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
