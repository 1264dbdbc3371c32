from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocophub.accounts.models import Role, User
from ocophub.products.models import Product

from .classify import _fmt
from .models import DocumentKind, DossierDocument, DossierKind, LocalAssessment, Round
from .procedures import BodyLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["year", "number", "title", "opens_on", "closes_on"]
        widgets = {"opens_on": DATE, "closes_on": DATE}


class DossierForm(forms.Form):
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=_("product"))
    kind = forms.ChoiceField(choices=DossierKind.choices, label=pgettext_lazy("dossier", "kind"))

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class DocumentForm(forms.ModelForm):
    class Meta:
        model = DossierDocument
        fields = ["kind", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DocumentKind.choices


class LocalStepForm(forms.ModelForm):
    class Meta:
        model = LocalAssessment
        fields = [
            "origin_confirmed",
            "origin_note",
            "local_workers",
            "total_workers",
            "labour_note",
            "identity_note",
            "proposed",
        ]
        widgets = {
            "origin_note": forms.Textarea(attrs={"rows": 2}),
            "labour_note": forms.Textarea(attrs={"rows": 2}),
            "identity_note": forms.Textarea(attrs={"rows": 2}),
        }


class ScoresForm(forms.Form):
    """One radio group per criterion, the allowed levels as choices. Empty is allowed
    (a draft); completeness is checked on submission."""

    def __init__(self, *args, criteria_set, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria_set.criteria())
        initial_scores = initial_scores or {}
        for criterion in self.criteria:
            choices = [
                (_fmt(level["points"]), f"{_fmt(level['points'])} – {level.get('description', '')}")
                for level in criterion.levels
            ]
            field = forms.ChoiceField(
                label=f"{criterion.code}. {criterion.text}",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
            field.criterion = criterion
            if criterion.code in initial_scores:
                field.initial = _fmt(initial_scores[criterion.code])
            self.fields[f"c_{criterion.code}"] = field

    def scores(self):
        return {
            name[2:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("c_") and value
        }

    def rows(self):
        """(part, criterion, bound field) in order, for the template."""
        return [(c.part, c, self[f"c_{c.code}"]) for c in self.criteria]


class CouncilForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    level = forms.ChoiceField(
        label=_("level"), choices=BodyLevel.choices, initial=BodyLevel.PROVINCE
    )
    chair = forms.ModelChoiceField(queryset=User.objects.none(), label=_("chair"))
    members = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("members"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        users = User.objects.filter(role=Role.COUNCIL_MEMBER, is_active=True)
        if province is not None:
            users = users.filter(province=province)
        self.fields["chair"].queryset = users
        self.fields["members"].queryset = users


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("decision number"), max_length=60)
    date = forms.DateField(label=_("decision date"), widget=DATE)
    issuing_body = forms.CharField(label=_("issuing body"), max_length=200)
    body_level = forms.ChoiceField(label=_("level of the issuing body"), choices=BodyLevel.choices)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CriteriaImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file"))
