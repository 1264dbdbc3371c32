from ocophub.accounts.models import Role
from ocophub.conftest import current_commune, make_user
from ocophub.market.dashboard import figures
from ocophub.market.models import Listing
from ocophub.testing.builders import issue


def test_the_figures_count_listings_by_platform_and_commune_and_the_share_live(
    certified, make_product, province_officer
):
    honey, producer = certified["honey"], certified["producer"]
    tea = make_product(producer, name="Chè xanh Ngọc Sơn")
    issue(tea, stars=3)
    Listing.objects.create(product=tea, platform="voso", url="https://voso.vn/che", status="draft")
    Listing.objects.create(
        product=honey, platform="voso", url="https://voso.vn/m", status="live", broken=True
    )
    numbers = figures(province_officer)
    by_platform = {r["platform"]: r for r in numbers.by_platform}
    assert [r["platform"] for r in numbers.by_platform] == ["postmart", "voso"]
    assert (by_platform["postmart"]["live"], by_platform["postmart"]["total"]) == (1, 1)
    voso = by_platform["voso"]
    assert (voso["live"], voso["draft"], voso["broken"], voso["total"]) == (0, 1, 1, 2)
    assert [(r["unit"], r["live"], r["total"]) for r in numbers.by_unit] == [
        ("Xã Quyết Thắng", 1, 3)
    ]
    # Honey is live on Postmart, the tea only drafted; the expired rice does not count.
    assert (numbers.certified, numbers.certified_live, numbers.share_live) == (2, 1, 50)


def test_the_figures_follow_the_officers_territory(
    certified, make_producer, make_product, commune_officer
):
    hanoi = make_producer(name="HTX Hà Nội", commune=current_commune(4))
    lotus = make_product(hanoi, name="Trà sen Tây Hồ")
    issue(lotus, stars=4)
    Listing.objects.create(product=lotus, platform="tiki", url="https://tiki.vn/t", status="live")
    numbers = figures(commune_officer)
    assert [r["platform"] for r in numbers.by_platform] == ["postmart"]
    assert (numbers.certified, numbers.certified_live) == (1, 1)


def test_the_market_page_shows_the_figures_to_officers_only(client, certified, province_officer):
    client.force_login(province_officer)
    client.cookies["django_language"] = "en"
    page = client.get("/market/").content.decode()
    assert "1 of 1 certified products are live on at least one platform." in page
    assert 'data-platform="postmart"' in page
    producer = make_user("thanhan", Role.PRODUCER)
    certified["producer"].accounts.add(producer)
    for user in (producer, make_user("buyer", Role.BUYER)):
        client.force_login(user)
        assert client.get("/market/").status_code == 403
