from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(
        label=_("revoked from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day the certificate is no longer valid."),
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Shown on the public verification page."),
    )

    def __init__(self, *args, certificate, **kwargs):
        kwargs.setdefault("initial", {"revoked_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.certificate = certificate

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for revoking the certificate."))
        return reason
