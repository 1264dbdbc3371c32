import datetime

import pytest

from ocophub.accounts.models import Role
from ocophub.conftest import current_commune, legacy_commune, make_user
from ocophub.support.models import Course, Person, Session, SupportCase

QUYET_THANG = 5323  # current commune (Lạc Sơn area)
LAC_SON = 5266  # current commune of Lạc Sơn
MY_THANH = 5275  # legacy commune of Lạc Sơn district


@pytest.fixture
def union_officer(phu_tho):
    return make_user("union", Role.UNION_OFFICER, province=phu_tho)


@pytest.fixture
def commune_union_officer(phu_tho):
    user = make_user("union-commune", Role.UNION_OFFICER, province=phu_tho)
    user.communes.set([current_commune(QUYET_THANG)])
    return user


@pytest.fixture
def home(db):
    return current_commune(QUYET_THANG)


@pytest.fixture
def elsewhere(db):
    return current_commune(LAC_SON)


@pytest.fixture
def make_person(db, home):
    def build(name="Bùi Thị Hoa", **fields):
        fields.setdefault("commune", home)
        person = Person(full_name=name, **fields)
        person.full_clean()
        person.save()
        return person

    return build


@pytest.fixture
def make_case(db, home):
    def build(name="Tổ hợp tác mật ong Quyết Thắng", **fields):
        fields.setdefault("commune", home)
        fields.setdefault("org_type", "cooperative")
        fields.setdefault("founding_group_on", datetime.date(2024, 1, 10))
        case = SupportCase(name=name, **fields)
        case.full_clean()
        case.save()
        return case

    return build


@pytest.fixture
def make_course(db, home):
    def build(sessions=5, topic="Nuôi ong lấy mật", **fields):
        fields.setdefault("commune", home)
        fields.setdefault("field", "husbandry")
        fields.setdefault("starts_on", datetime.date(2024, 3, 1))
        fields.setdefault("ends_on", datetime.date(2024, 3, 31))
        course = Course(topic=topic, **fields)
        course.full_clean()
        course.save()
        for i in range(sessions):
            Session.objects.create(
                course=course, held_on=course.starts_on + datetime.timedelta(days=i)
            )
        return course

    return build


__all__ = ["legacy_commune"]
