"""Every form a staff page shows, walked as each demo role: its selects offer only records
of a scoped model that the user may read (`visible_to`), never another producer's
product, trademark or batch, nor a record of another commune or province; no two of its
fields share a label; on the English page no label or fixed choice is left in
Vietnamese. Pages are walked from the URL tree: every page without arguments, and each
page with a record argument at the first record the role may read."""

import unicodedata
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.management import call_command
from django.forms.formsets import BaseFormSet
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ocophub.accounts.demo import DEMO_USERS
from ocophub.accounts.models import User

# Pages taking a record: URL name -> (model, URL argument, the record's attribute).
RECORD_PAGES = {
    "producers:edit": ("producers.Producer", "pk", "pk"),
    "products:detail": ("products.Product", "pk", "pk"),
    "products:edit": ("products.Product", "pk", "pk"),
    "evaluation:round": ("evaluation.Round", "pk", "pk"),
    "evaluation:dossier_create": ("evaluation.Round", "pk", "pk"),
    "evaluation:dossier": ("evaluation.Dossier", "pk", "pk"),
    "evaluation:local_step": ("evaluation.Dossier", "pk", "pk"),
    "evaluation:score": ("evaluation.Dossier", "pk", "pk"),
    "evaluation:sheet": ("evaluation.ScoreSheet", "pk", "pk"),
    "evaluation:council": ("evaluation.Council", "pk", "pk"),
    "evaluation:decide": ("evaluation.Council", "pk", "pk"),
    "certificates:detail": ("certificates.Certificate", "number", "number"),
    "certificates:revoke": ("certificates.Certificate", "number", "number"),
    "programme:target_edit": ("programme.Target", "pk", "pk"),
    "support:case": ("support.SupportCase", "pk", "pk"),
    "support:roster": ("support.SupportCase", "pk", "pk"),
    "support:person": ("support.Person", "pk", "pk"),
    "support:course": ("support.Course", "pk", "pk"),
    "support:attendance": ("support.Session", "pk", "pk"),
    "support:programme": ("support.Programme", "pk", "pk"),
    "compliance:code": ("compliance.GrowingArea", "code", "code"),
    "compliance:inspect": ("compliance.GrowingArea", "code", "code"),
    "market:listing_edit": ("market.Listing", "pk", "pk"),
    "market:enquiry": ("market.Enquiry", "pk", "pk"),
    "trace:batch": ("trace.Batch", "pk", "pk"),
    "trace:batch_step": ("trace.Batch", "pk", "pk"),
}
LANGUAGE_NAMES = {"Tiếng Việt", "English"}
# Pages without arguments that are not staff pages with forms worth a GET here.
SKIPPED = ("admin:", "api:", "set_language", "accounts:logout")


def pages_without_arguments(resolver: Any = None, ns: str = "") -> list[str]:
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = ns + (f"{entry.namespace}:" if entry.namespace else "")
            names += pages_without_arguments(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groups:
            names.append(ns + entry.name)
    return [n for n in dict.fromkeys(names) if not n.startswith(SKIPPED)]


def readable(model: Any, user: User) -> Any:
    """The rows of `model` the user may read: by its own scope, or else by the scope of
    the record it belongs to (a trademark by its producer's); None for reference data."""
    rows = model._default_manager.all()
    if hasattr(rows, "visible_to"):
        return rows.visible_to(user)
    for field in model._meta.get_fields():
        if field.many_to_one and field.concrete:
            parents = field.related_model._default_manager.all()
            if hasattr(parents, "visible_to"):
                return rows.filter(**{f"{field.name}__in": parents.visible_to(user).values("pk")})
    return None


def forms_in(response: Any) -> list[forms.BaseForm]:
    found: list[forms.BaseForm] = []
    rendered = response.context
    contexts = [] if rendered is None else rendered if isinstance(rendered, list) else [rendered]
    values = [v for context in contexts for layer in context.dicts for v in layer.values()]
    for value in {id(v): v for v in values}.values():  # a form sits in several layers
        if isinstance(value, forms.BaseForm):
            found.append(value)
        elif isinstance(value, BaseFormSet):
            found += list(value)
    return found


def leaks(user: User, url: str, shown: list[forms.BaseForm], checked: list[str]) -> list[str]:
    out = []
    for form in shown:
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or field.widget.is_hidden:
                continue
            offered: Any = field.queryset
            may_read = readable(offered.model, user)
            if may_read is None:  # reference data: communes, groups, crops, markets
                continue
            checked.append(f"{type(form).__name__}.{name}")
            extra = offered.exclude(pk__in=may_read.values("pk"))
            if extra.exists():
                sample = ", ".join(str(row) for row in extra[:3])
                out.append(f"{user.username} {url} {type(form).__name__}.{name}: {sample}")
    return out


def shared_labels(user: User, url: str, shown: list[forms.BaseForm]) -> list[str]:
    out = []
    for form in shown:
        labels = [str(bf.label).strip().lower() for bf in form if not bf.is_hidden]
        twice = sorted({label for label in labels if label and labels.count(label) > 1})
        if twice:
            out.append(f"{user.username} {url} {type(form).__name__}: {', '.join(twice)}")
    return out


def is_vietnamese(text: str) -> bool:
    # Vietnamese letters: đ, or a vowel with a breve, circumflex, horn or tone mark.
    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in text.lower() or any("\u0300" <= c <= "\u036f" for c in decomposed)


def vietnamese_left(user: User, url: str, shown: list[forms.BaseForm]) -> list[str]:
    out = []
    for form in shown:
        for name, field in form.fields.items():
            if form[name].is_hidden:
                continue
            # Labels and fixed choices only: a model's rows, grouped units and the examples
            # of help texts are names as written; a language is named in itself.
            texts = [str(field.label or "")]
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                texts += [
                    str(text)
                    for _value, text in list(field.choices)  # type: ignore[arg-type]
                    if not isinstance(text, (list, tuple)) and str(text) not in LANGUAGE_NAMES
                ]
            for text in filter(is_vietnamese, texts):
                out.append(f"{user.username} {url} {type(form).__name__}.{name}: {text}")
    return out


def urls_for(user: User) -> list[str]:
    urls = [reverse(name) for name in pages_without_arguments()]
    for name, (label, argument, attribute) in RECORD_PAGES.items():
        model = apps.get_model(label)
        rows = readable(model, user)
        record = (rows if rows is not None else model._default_manager).order_by("pk").first()
        if record is not None:
            urls.append(reverse(name, kwargs={argument: getattr(record, attribute)}))
    return urls


@pytest.mark.django_db
def test_every_form_on_every_staff_page_is_scoped_labelled_once_and_in_the_pages_language(
    client, reference_data
):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    leaked: list[str] = []
    twice: list[str] = []
    untranslated: list[str] = []
    checked: list[str] = []
    for user in User.objects.filter(username__in=[u for u, *_ in DEMO_USERS] + ["buyer"]):
        client.force_login(user)
        # The office and a producer see most forms: their pages are read in English too.
        english = user.username in ("province", "producer")
        for url in urls_for(user):
            client.cookies.pop("django_language", None)
            response = client.get(url)
            if response.status_code != 200:
                continue
            shown = forms_in(response)
            leaked += leaks(user, url, shown, checked)
            twice += shared_labels(user, url, shown)
            if english and shown:
                client.cookies["django_language"] = "en"
                untranslated += vietnamese_left(user, url, forms_in(client.get(url)))
    # The walk reached the scoped selects of the main forms, or it proves nothing.
    assert {"ProductForm.trademark", "ProductForm.producer"} <= set(checked)
    assert len(set(checked)) >= 10
    assert leaked == [], "\n".join(leaked)
    assert twice == [], "\n".join(twice)
    assert untranslated == [], "\n".join(untranslated)


def test_the_walk_finds_a_select_offering_another_producers_trademark(
    make_producer, producer_account
):
    # The check itself: a form offering every trademark to a producer account is caught.
    Trademark = apps.get_model("producers.Trademark")
    mine, theirs = make_producer(account=producer_account), make_producer(name="HTX Khác")
    Trademark.objects.create(producer=mine, name="Thanh An")
    Trademark.objects.create(producer=theirs, name="Chí Đạo")

    class Everyone(forms.Form):
        trademark = forms.ModelChoiceField(Trademark.objects.all())

    class Mine(forms.Form):
        trademark = forms.ModelChoiceField(Trademark.objects.filter(producer=mine))

    checked: list[str] = []
    (leak,) = leaks(producer_account, "/x/", [Everyone()], checked)
    assert "Chí Đạo" in leak and "Thanh An" not in leak
    assert leaks(producer_account, "/x/", [Mine()], checked) == []
    assert checked == ["Everyone.trademark", "Mine.trademark"]


def test_the_walk_tells_a_shared_label_and_vietnamese_left_on_an_english_page(
    producer_account,
):
    class Twice(forms.Form):
        name = forms.CharField(label="Tên")
        other = forms.CharField(label="tên ")
        ok = forms.ChoiceField(label="Product name", choices=[("a", "Giữ nguyên"), ("b", "Keep")])

    (shared,) = shared_labels(producer_account, "/x/", [Twice()])
    assert shared.endswith("Twice: tên")
    left = vietnamese_left(producer_account, "/x/", [Twice()])
    assert [line.rsplit(": ", 1)[1] for line in left] == ["Tên", "tên ", "Giữ nguyên"]
    assert not is_vietnamese("Date of harvest (dd/mm/yyyy)")
