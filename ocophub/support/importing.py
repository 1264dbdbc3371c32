"""A paper roster's spreadsheet into a course's attendance, all-or-nothing (core.importing)."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ocophub.core.importing import Column, Importer
from ocophub.core.text import fold
from ocophub.producers.choices import Gender

from .models import Attendance, Course, DuplicateProposal, Person, Presence, Via

# The example is a Mường woman of Lạc Sơn at the course's first session.
COLUMNS = [
    Column(
        "session_date",
        True,
        _("Session date"),
        "2025-03-01",
        _("The day of a session of this course: 2025-03-01 or 01/03/2025."),
    ),
    Column("full_name", True, _("Full name"), "Bùi Thị Hoa"),
    Column(
        "status",
        True,
        _("Attendance"),
        "có mặt",
        choices=[
            ("có mặt", Presence.PRESENT.label),
            ("muộn", Presence.LATE.label),
            ("có phép", Presence.EXCUSED.label),
            ("vắng", Presence.ABSENT.label),
        ],
    ),
    Column(
        "phone",
        False,
        _("Phone"),
        "0987654321",
        _("A phone or citizen ID recognises the person across courses."),
    ),
    Column("citizen_id", False, _("Citizen ID"), "017190001234", _("12 digits.")),
    Column(
        "gender",
        False,
        _("Gender"),
        "nữ",
        choices=[
            ("nữ", Gender.FEMALE.label),
            ("nam", Gender.MALE.label),
            ("khác", Gender.OTHER.label),
        ],
    ),
    Column("ethnicity", False, _("Ethnicity"), "Mường"),
]
ALIASES = {
    "ngay": "session_date",
    "ngay_hoc": "session_date",
    "ho_ten": "full_name",
    "ho_va_ten": "full_name",
    "diem_danh": "status",
    "dien_thoai": "phone",
    "so_dien_thoai": "phone",
    "cccd": "citizen_id",
    "gioi_tinh": "gender",
    "dan_toc": "ethnicity",
}
# Words a paper roster uses, folded (no accents, lower case).
STATUS_WORDS = {
    "co mat": Presence.PRESENT,
    "x": Presence.PRESENT,
    "muon": Presence.LATE,
    "co phep": Presence.EXCUSED,
    "vang co phep": Presence.EXCUSED,
    "vang": Presence.ABSENT,
    "vang mat": Presence.ABSENT,
}
GENDER_WORDS = {"nu": Gender.FEMALE, "nam": Gender.MALE, "khac": Gender.OTHER}


def _word(value, words, choices):
    key = fold(str(value or "")).strip()
    return words.get(key, key if key in choices else value)


class AttendanceRowForm(forms.Form):
    session_date = forms.DateField(input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    full_name = forms.CharField(max_length=120)
    status = forms.ChoiceField(choices=Presence.choices)
    phone = forms.CharField(max_length=20, required=False)
    citizen_id = forms.CharField(max_length=12, required=False)
    gender = forms.ChoiceField(choices=[("", ""), *Gender.choices], required=False)
    ethnicity = forms.CharField(max_length=40, required=False)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course

    def clean_session_date(self):
        day = self.cleaned_data["session_date"]
        self.session = self.course.sessions.filter(held_on=day).first()
        if self.session is None:
            raise forms.ValidationError(
                _("The course has no session on %(day)s.") % {"day": date_format(day)}
            )
        return day

    def clean_phone(self):
        return "".join(c for c in self.cleaned_data["phone"] if c.isdigit())

    def clean_citizen_id(self):
        value = self.cleaned_data["citizen_id"].strip()
        if value and not (value.isdigit() and len(value) == 12):
            raise forms.ValidationError(_("A citizen ID has 12 digits."))
        return value


class AttendanceImporter(Importer):
    kind = "support-attendance"
    columns = COLUMNS
    aliases = ALIASES

    def __init__(self, user, course=None):
        super().__init__(user)
        self.course = course

    def task_params(self):
        return {"course": self.course.pk}

    @classmethod
    def from_task(cls, user, params):
        return cls(user, Course.objects.get(pk=params["course"]))

    def example_row(self):
        # The example is on the course's first session, so that it imports as it is.
        row = super().example_row()
        first = self.course.sessions.order_by("held_on").first() if self.course else None
        if first is not None:
            row[0] = first.held_on.isoformat()
        return row

    def unique_key(self, row):
        who = row.get("citizen_id") or row.get("phone") or fold(row.get("full_name", ""))
        return ("full_name", f"{row.get('session_date')}|{who}")

    def form_for(self, row):
        data = dict(row)
        data["status"] = _word(data.get("status"), STATUS_WORDS, Presence.values)
        data["gender"] = _word(data.get("gender"), GENDER_WORDS, Gender.values)
        return AttendanceRowForm(data, course=self.course)

    def find_person(self, d):
        people = Person.objects.filter(merged_into__isnull=True)
        for key in ("citizen_id", "phone"):
            if d[key]:
                found = people.filter(**{key: d[key]}).first()
                if found:
                    return found
        if not (d["phone"] or d["citizen_id"]):
            found = people.filter(full_name=d["full_name"], commune=self.course.commune).first()
            if found:
                return found
        person = Person.objects.create(
            full_name=d["full_name"],
            phone=d["phone"],
            citizen_id=d["citizen_id"],
            gender=d["gender"],
            ethnicity=d["ethnicity"],
            commune=self.course.commune,
            entered_by=self.user,
        )
        DuplicateProposal.propose_for(person)
        return person

    def save(self, form):
        d = form.cleaned_data
        return Attendance.objects.update_or_create(
            session=form.session,
            person=self.find_person(d),
            defaults={"status": d["status"], "via": Via.IMPORT},
        )[0]
