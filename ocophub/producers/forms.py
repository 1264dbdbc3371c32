from django import forms
from django.utils.translation import gettext_lazy as _

from ocophub.places.fields import CommuneField

from .models import Member, Producer, Trademark


class ProducerForm(forms.ModelForm):
    class Meta:
        model = Producer
        fields = [
            "kind",
            "name",
            "registration_number",
            "founded_on",
            "representative",
            "phone",
            "email",
            "website",
            "address",
            "commune",
            "member_count",
            "status",
        ]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"] = CommuneField(label=_("commune"), user=user)
        self.fields["founded_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        if user is not None and user.is_producer:
            # A producer keeps its status as the office recorded it.
            self.fields.pop("status")


MemberFormSet = forms.inlineformset_factory(
    Producer,
    Member,
    form=forms.ModelForm,
    fields=["full_name", "gender", "ethnicity", "joined_on"],
    extra=3,
    can_delete=True,
    widgets={"joined_on": forms.DateInput(attrs={"type": "date"})},
)
TrademarkFormSet = forms.inlineformset_factory(
    Producer,
    Trademark,
    form=forms.ModelForm,
    fields=["name", "kind", "certificate_number", "registered_on", "issued_by"],
    extra=1,
    can_delete=True,
    widgets={"registered_on": forms.DateInput(attrs={"type": "date"})},
)
