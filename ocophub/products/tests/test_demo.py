"""The registry's demo data: the seed facts in their real communes, loaded once."""

import pytest
from django.db.models import Q

from ocophub.accounts import demo as accounts_demo
from ocophub.accounts.models import Role, User
from ocophub.producers import demo as producers_demo
from ocophub.producers.models import Producer
from ocophub.products import demo as products_demo
from ocophub.products.models import Lifecycle, Product

pytestmark = pytest.mark.django_db

LAC_SON = 157  # legacy district code


def load_registry_demo():
    return [m.load() for m in (accounts_demo, producers_demo, products_demo)]


def counts():
    return (User.objects.count(), Producer.objects.count(), Product.objects.count())


def test_loading_twice_adds_nothing():
    load_registry_demo()
    before = counts()
    assert all(n > 0 for n in before)
    summaries = load_registry_demo()
    assert counts() == before
    assert summaries == ["0 users created", "0 producers created", "0 products created"]


def test_one_demo_user_per_role_with_the_printed_passwords():
    load_registry_demo()
    roles = dict(User.objects.filter(is_superuser=False).values_list("username", "role"))
    assert roles == {
        "province": Role.PROVINCE_OFFICE,
        "commune": Role.COMMUNE_OFFICER,
        "council1": Role.COUNCIL_MEMBER,
        "council2": Role.COUNCIL_MEMBER,
        "producer": Role.PRODUCER,
        "inspector": Role.INSPECTOR,
        "union": Role.UNION_OFFICER,
    }
    for username in [*roles, "admin"]:
        user = User.objects.get(username=username)
        assert user.check_password(accounts_demo.password_for(username))
    assert User.objects.get(username="province").province.name == "Phú Thọ"
    assert User.objects.get(username="producer").producers.get().name.endswith("Thanh An")


def test_seed_facts_sit_in_their_real_communes():
    load_registry_demo()
    honey = Product.objects.get(name="Mật ong Thanh An")
    assert honey.stars == 3 and not honey.is_sample
    assert honey.commune.full_name() == "Xã Mỹ Thành, Huyện Lạc Sơn, Tỉnh Hoà Bình"
    doi = Product.objects.get(name="Hạt dổi Chí Đạo")
    assert doi.commune.name == "Xã Chí Đạo" and doi.commune.district.name == "Huyện Lạc Sơn"
    assert doi.producer.trademarks.filter(kind="collective").exists()
    assert doi.producer.member_count == 20
    kim_boi = Product.objects.filter(commune__name="Xã Hùng Sơn", commune__district__code=153)
    assert kim_boi.count() == 3


def test_the_lac_son_picture():
    load_registry_demo()
    lac_son = Product.objects.filter(Q(commune__district__code=LAC_SON))
    certified = lac_son.filter(status=Lifecycle.CERTIFIED)
    assert certified.count() == 15
    assert sorted(certified.values_list("stars", flat=True)) == [3] * 14 + [4]
    preparing = set(lac_son.filter(status=Lifecycle.IN_PREPARATION).values_list("name", flat=True))
    assert preparing == {
        "Muối hạt dổi Chí Đạo",
        "Măng chua Văn Sơn",
        "Xúc xích ốc Lạc Sơn",
        "Vịt cổ xanh Yên Phú",
        "Bột nghệ gia vị Tân Lập",
        "Trứng gà thảo dược Hương Nhượng",
    }
    # Products no source names are marked as sample data.
    named = {"Mật ong Thanh An", "Hạt dổi Chí Đạo", "Ớt Phú Lương"}
    assert set(certified.filter(is_sample=False).values_list("name", flat=True)) == named
