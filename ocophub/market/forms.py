"""Forms of the market's staff and buyer pages. The rules are the models' (Listing.clean,
Shop.clean, Enquiry.clean): the forms choose the products in the user's scope and word
the inputs."""

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext, gettext_lazy

from ocophub.core.i18n import page_name
from ocophub.core.text import fold
from ocophub.places.fields import CommuneField
from ocophub.producers.models import Producer
from ocophub.products.models import PUBLISHED, Product

from .models import SHOP_NEEDS, ClosedReason, Enquiry, Listing, Shop, listable_products

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


def shop_products(user, producer):
    """The products a user may put in a shop: its producer's own (a shop of no producer:
    any), among those the user may change."""
    products = Product.objects.editable_by(user).select_related("producer")
    if producer is not None:
        products = products.filter(producer=producer)
    return products.order_by("name", "pk")


class ShopProducts(forms.ModelMultipleChoiceField):
    # A shop of many producers names each product's producer too.
    def __init__(self, *args, many_producers=False, **kwargs):
        self.many_producers = many_producers
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return product_label(obj) if self.many_producers else page_name(obj)


class ShopForm(forms.ModelForm):
    class Meta:
        model = Shop
        fields = [
            "name",
            "kind",
            "producer",
            "address",
            "commune",
            "phone",
            "hours",
            "latitude",
            "longitude",
            "products",
        ]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "hours": forms.TextInput(attrs={"placeholder": "7:00–18:00"}),
            "latitude": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            "longitude": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["commune"] = CommuneField(label=gettext_lazy("commune"), user=user)
        # Blank is refused in the rule's words (Shop.clean); a blank name of spaces too.
        for name, message in SHOP_NEEDS.items():
            self.fields[name].error_messages["required"] = message
        self.fields["kind"].error_messages["required"] = gettext_lazy(
            "Choose the kind of point of sale."
        )
        self.fields["latitude"].help_text = gettext_lazy(
            "From a map app, in degrees: for example 21.322000 and 105.401000. Optional."
        )
        producer = self._producer_field(user)
        products = shop_products(user, producer)
        self.fields["products"] = ShopProducts(
            label=gettext_lazy("products stocked"),
            queryset=products,
            required=False,
            many_producers=producer is None,
            widget=forms.CheckboxSelectMultiple,
            help_text=gettext_lazy(
                "Only products with a certificate in force show on the public page."
            ),
            error_messages={
                "invalid_choice": gettext_lazy(
                    "Tick only the products listed: one of those sent is another "
                    "producer's, or outside your scope."
                )
            },
        )
        # Products the user may not change stay in the shop as they are (a commune
        # officer keeps another commune's products in a shop of many producers).
        self.kept = (
            list(
                self.instance.products.exclude(pk__in=products.values("pk")).filter(
                    Q(producer=producer) if producer else Q()
                )
            )
            if self.instance.pk
            else []
        )

    def _producer_field(self, user):
        """Set up the producer to choose, and return the one chosen (or None). A
        producer account's shops are its producer's; an officer picks a producer in
        their scope, or none for a shop of many producers."""
        field = self.fields["producer"]
        ids = Producer.objects.editable_by(user).values("pk")
        field.queryset = Producer.objects.filter(
            Q(pk__in=ids) | Q(pk=self.instance.producer_id or 0)
        ).order_by("name")
        field.error_messages["invalid_choice"] = gettext_lazy(
            "Choose a producer in your scope from the list."
        )
        if user.is_staff_officer:
            field.help_text = gettext_lazy(
                "Leave it empty for a point of sale of many producers' products (an OCOP "
                "shop, a post office)."
            )
            # The product list follows the producer chosen (htmx swaps it, shop_products).
            field.widget.attrs.update(
                {
                    "hx-get": reverse_lazy("market:shop_products"),
                    "hx-target": "#id_products",
                    "hx-swap": "outerHTML",
                }
            )
        else:
            field.required, field.empty_label = True, None
            if not self.instance.pk and field.queryset.count() == 1:
                self.instance.producer = field.queryset.get()
            if self.instance.producer_id and field.queryset.count() == 1:
                del self.fields["producer"]
                return self.instance.producer
        chosen = self.data.get(self.add_prefix("producer")) if self.is_bound else None
        if not self.is_bound:
            chosen = self.initial.get("producer")
        try:
            return field.queryset.filter(pk=int(chosen)).first() if chosen else None
        except (TypeError, ValueError):
            return None

    def _post_clean(self):
        refused = {name: self.error_class(errors) for name, errors in self._errors.items()}
        super()._post_clean()
        # A field the form refused keeps its own words: an unknown commune is not "no
        # commune" (Shop.clean sees none).
        for name, errors in refused.items():
            self._errors[name] = errors

    def save(self, commit=True):
        shop = super().save(commit=commit)
        if commit and self.kept:
            shop.products.add(*self.kept)
        return shop


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
