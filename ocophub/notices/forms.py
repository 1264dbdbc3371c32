from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Kind


class PreferencesForm(forms.Form):
    """One box per kind of notice: ticked, it also comes by e-mail."""

    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)

    def __init__(self, *args, preferences, **kwargs):
        initial = {"language": preferences.language}
        initial.update({f"email_{k}": preferences.by_email(k) for k in Kind.values})
        super().__init__(*args, initial=initial, **kwargs)
        for value, label in Kind.choices:
            self.fields[f"email_{value}"] = forms.BooleanField(label=label, required=False)

    def kind_fields(self):
        return [self[f"email_{k}"] for k in Kind.values]

    def save(self, preferences):
        preferences.language = self.cleaned_data["language"]
        preferences.inbox_only = [k for k in Kind.values if not self.cleaned_data[f"email_{k}"]]
        preferences.save()
        return preferences
