"""Dates read dd/mm/yyyy in both languages; a record shows its English name on an
English page when it has one."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from ocophub.core.i18n import in_page_language, page_name

DAY = datetime.date(2025, 7, 1)
MOMENT = datetime.datetime(2025, 7, 1, 14, 30)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_read_day_month_year_in_both_languages(language):
    with translation.override(language):
        assert date_format(DAY) == "01/07/2025"
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "01/07/2025 14:30"
        rendered = Template(
            '{{ day|date }} {{ moment|date:"SHORT_DATETIME_FORMAT" }} {{ day }}'
        ).render(Context({"day": DAY, "moment": MOMENT}))
        assert rendered == "01/07/2025 01/07/2025 14:30 01/07/2025"


def test_english_name_only_on_an_english_page_and_only_when_there_is_one():
    honey = SimpleNamespace(name="Mật ong Thanh An", name_en="Thanh An honey")
    unnamed = SimpleNamespace(name="Hạt dổi", name_en="")
    with translation.override("vi"):
        assert page_name(honey) == "Mật ong Thanh An"
        assert page_name(honey, "en") == "Thanh An honey"
    with translation.override("en"):
        assert page_name(honey) == "Thanh An honey"
        assert page_name(unnamed) == "Hạt dổi"
        assert in_page_language("Tiêu chí", None) == "Tiêu chí"
        assert page_name(honey, "vi") == "Mật ong Thanh An"
        rendered = Template("{% load ocop %}{{ p|page_name }}").render(Context({"p": honey}))
        assert rendered == "Thanh An honey"
