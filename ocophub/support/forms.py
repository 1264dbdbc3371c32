"""Forms of the union officer's pages. A commune is one of the officer's own."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ocophub.market.models import Platform
from ocophub.places.fields import CommuneField
from ocophub.places.models import Commune
from ocophub.producers.models import Producer

from .models import (
    STAGE_ORDER,
    Course,
    Help,
    Person,
    Programme,
    Session,
    Stage,
    SupportCase,
    union_territory_q,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def in_territory(user, commune):
    q = union_territory_q(user, "")
    return q is None or Commune.objects.filter(q, pk=commune.pk).exists()


class UnionCommuneField(CommuneField):
    """A commune of the officer's territory (CommuneField checks registry officers only)."""

    def validate(self, value):
        super().validate(value)
        if value is not None and self.user is not None and not in_territory(self.user, value):
            raise forms.ValidationError(
                _("%(commune)s is outside your territory.") % {"commune": value.full_name()}
            )


class UnionForm(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if "commune" in self.fields:
            field = self.fields["commune"]
            self.fields["commune"] = UnionCommuneField(
                label=field.label, user=user, initial=field.initial
            )


class CaseForm(UnionForm):
    class Meta:
        model = SupportCase
        fields = ["name", "org_type", "commune", "founding_group_on"]
        widgets = {"founding_group_on": DATE}


class HelpForm(forms.ModelForm):
    class Meta:
        model = Help
        fields = ["kind", "given_on", "note"]
        widgets = {"given_on": DATE}


class AdvanceForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"))
    day = forms.DateField(label=_("Date"), widget=DATE)
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=30, required=False
    )
    producer = forms.ModelChoiceField(
        label=_("Registry record"), queryset=Producer.objects.none(), required=False
    )

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        nxt = STAGE_ORDER.index(case.stage) + 1
        choices = []
        if case.stage != Stage.DISSOLVED:
            if nxt < len(STAGE_ORDER) - 1:
                choices.append(STAGE_ORDER[nxt])
            choices.append(Stage.DISSOLVED)
        self.fields["stage"].choices = [(s, Stage(s).label) for s in choices]
        self.fields["producer"].queryset = Producer.objects.visible_to(user).filter(
            support_case__isnull=True
        )
        if case.stage != Stage.CONFERENCE:
            del self.fields["registration_number"]
        if case.stage not in (Stage.CONFERENCE, Stage.REGISTERED, Stage.OPERATING):
            del self.fields["producer"]


class PersonForm(UnionForm):
    class Meta:
        model = Person
        fields = ["full_name", "gender", "ethnicity", "phone", "citizen_id", "commune"]


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).filter(
            merged_into__isnull=True
        )


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DATE)


class CourseForm(UnionForm):
    class Meta:
        model = Course
        fields = [
            "topic",
            "field",
            "starts_on",
            "ends_on",
            "place",
            "commune",
            "trainer",
            "organiser",
            "partner",
            "budget",
            "completion_share",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["held_on", "topic"]
        widgets = {"held_on": DATE}


class NewParticipantForm(forms.Form):
    """Someone at the session who is not on the list yet."""

    full_name = forms.CharField(label=_("Full name"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    gender = Person._meta.get_field("gender").formfield(required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=40, required=False)


class CheckInForm(forms.Form):
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class ProgrammeForm(UnionForm):
    platforms = forms.MultipleChoiceField(
        label=_("e-commerce platforms"),
        choices=Platform.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Listings on these platforms count as products listed; none ticked: any."),
    )

    class Meta:
        model = Programme
        fields = ["kind", "name", "partner", "starts_on", "ends_on", "commune", "area", "platforms"]
        widgets = {"starts_on": DATE, "ends_on": DATE}
