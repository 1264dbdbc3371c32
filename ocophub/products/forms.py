from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from PIL import Image, UnidentifiedImageError

from ocophub.places.fields import CommuneField
from ocophub.producers.models import Producer

from .models import PHOTO_TYPES, Classification, Lifecycle, Product, ProductGroup, ProductPhoto


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "name",
            "name_en",
            "producer",
            "group_2023",
            "group_2019",
            "commune",
            "gtin",
            "trademark",
            "description",
            "story",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["commune"] = CommuneField(label=_lazy("commune of origin"), user=user)
        if user is not None:
            managed = Producer.objects.editable_by(user)
            self.fields["producer"].queryset = managed
            # Only the trademarks of producers the user manages: the select would
            # otherwise show every producer's marks.
            self.fields["trademark"].queryset = self.fields["trademark"].queryset.filter(
                producer__in=managed.values("pk")
            )
        for field, cls in (
            ("group_2023", Classification.DECISION_148_2023),
            ("group_2019", Classification.DECISION_1048_2019),
        ):
            self.fields[field].queryset = ProductGroup.objects.filter(
                classification=cls
            ).select_related("parent")
            self.fields[field].error_messages["invalid_choice"] = _(
                "Unknown product group: use a code from the %(name)s list, e.g. 1.4 for honey."
            ) % {"name": cls.label}
        self.fields["producer"].error_messages["invalid_choice"] = _(
            "Unknown producer, or one you may not manage: give the producer's registration or "
            "tax number as it is in the registry."
        )
        self.fields["trademark"].queryset = self.fields["trademark"].queryset.select_related(
            "producer"
        )
        self.fields["trademark"].error_messages["invalid_choice"] = _(
            "This trademark belongs to another producer."
        )
        if not self.initial.get("commune") and self.initial.get("producer"):
            producer = Producer.objects.filter(pk=self.initial["producer"]).first()
            if producer:
                self.initial["commune"] = producer.commune

    def _post_clean(self):
        unknown_group = any(f in self._errors for f in ("group_2023", "group_2019"))
        super()._post_clean()
        if unknown_group and "group_2023" in self._errors:
            # "Unknown product group" already says what to fix; "choose a group" repeats it.
            kept = [e for e in self._errors["group_2023"].as_data() if e.code != "no_group"]
            if kept:
                self._errors["group_2023"] = self.error_class(kept)
            else:
                del self._errors["group_2023"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Lifecycle.choices)


def validate_photo(upload):
    """Accept JPEG, PNG or WebP images within the size limit; say what is wrong otherwise."""
    limit = settings.PHOTO_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("The photo is %(size).1f MB; the limit is %(limit).0f MB. Resize it and try again.")
            % {"size": upload.size / 1e6, "limit": limit / 1e6}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            kind = img.format
            # The header gives the size: a decompression bomb is refused before decoding.
            width, height = img.size
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise Image.DecompressionBombError(f"{width}x{height}")
            img.verify()
        # verify() does not decode JPEG data: a cut-off upload shows only on loading,
        # which would otherwise fail after the file is stored.
        upload.seek(0)
        with Image.open(upload) as img:
            img.load()
    except Image.DecompressionBombError as exc:
        raise forms.ValidationError(
            _("“%(name)s” is too large in pixels for a product photo; resize it and try again.")
            % {"name": upload.name}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise forms.ValidationError(
            _("“%(name)s” is not a photo we can read; upload a JPEG, PNG or WebP image.")
            % {"name": upload.name}
        ) from exc
    finally:
        upload.seek(0)
    if kind not in PHOTO_TYPES:
        raise forms.ValidationError(
            _("%(kind)s images are not accepted; upload a JPEG, PNG or WebP image.")
            % {"kind": kind}
        )
    # Store the file under the type it really is, whatever its name said.
    upload.name = f"{Path(upload.name).stem or 'photo'}.{PHOTO_TYPES[kind]}"
    return upload


class PhotoForm(forms.ModelForm):
    # A plain file field: validate_photo checks the content and says what is wrong.
    image = forms.FileField(label=_lazy("photo"))

    class Meta:
        model = ProductPhoto
        fields = ["image", "caption"]

    def clean_image(self):
        return validate_photo(self.cleaned_data["image"])
