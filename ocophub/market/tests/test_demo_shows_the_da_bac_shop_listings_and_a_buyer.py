from django.core.management import call_command

from ocophub.accounts.demo import password_for
from ocophub.accounts.models import Role, User
from ocophub.market import demo
from ocophub.market.models import Enquiry, EnquiryStatus, Listing, Shop, ShopKind
from ocophub.products.models import Product


def test_load_demo_makes_the_shops_listings_and_a_buyer_with_enquiries_once(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    shop = Shop.objects.get(kind=ShopKind.OCOP_SHOP)
    assert "Tiểu khu Mu" in shop.address and shop.commune.name == "Xã Đà Bắc"
    assert shop.latitude and shop.hours and shop.phone
    assert set(shop.products.values_list("name", flat=True)) == set(demo.SEED_PRODUCTS)
    assert Shop.objects.filter(kind=ShopKind.POST_OFFICE, products__isnull=False).exists()
    honey = Product.objects.get(name="Mật ong Thanh An")
    assert set(honey.listings.live().values_list("platform", flat=True)) == {"postmart", "voso"}
    buyer = User.objects.get(username="buyer")
    assert buyer.role == Role.BUYER and buyer.check_password(password_for("buyer"))
    statuses = sorted(Enquiry.objects.filter(buyer=buyer).values_list("status", flat=True))
    assert statuses == [EnquiryStatus.ANSWERED, EnquiryStatus.OPEN]
    counts = (Shop.objects.count(), Listing.objects.count(), Enquiry.objects.count())
    assert demo.load() == "0 points of sale, 0 listings, 0 enquiries created"
    assert (Shop.objects.count(), Listing.objects.count(), Enquiry.objects.count()) == counts


def test_the_catalogue_and_where_to_buy_show_the_demo_shop_and_listings(client, db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    page = client.get("/noi-ban/").content.decode()
    assert "Cửa hàng sản phẩm OCOP Đà Bắc" in page and "Tiểu khu Mu" in page
    assert "Bưu điện Lạc Sơn" in page
    honey = Product.objects.get(name="Mật ong Thanh An")
    page = client.get(f"/san-pham/{honey.search_entry.slug}/").content.decode()
    assert "https://postmart.vn/san-pham/mat-ong-thanh-an" in page
    assert "https://voso.vn/mat-ong-thanh-an-lac-son" in page
    assert "Cửa hàng sản phẩm OCOP Đà Bắc" in page
    found = client.get("/api/v1/listings", {"product": honey.pk}).json()
    assert {item["platform"] for item in found} == {"postmart", "voso"}


def test_the_demo_logins_printed_before_the_server_starts_include_the_buyer():
    import subprocess
    import sys

    printed = subprocess.run(
        [sys.executable, "scripts/print_demo_logins.py", "localhost", "8000"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert any(line.split()[:2] == ["buyer", "ocop-buyer-2025"] for line in printed.splitlines())
