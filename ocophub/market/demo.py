"""Demo data for the market: points of sale, e-commerce listings, a buyer and enquiries.

From the seeds: OCOP products are displayed for sale at a shop in Mu residential quarter
of Đà Bắc town (now xã Đà Bắc), the provincial union has agreements with the post office,
and about 2,980 products are posted on Postmart and Voso. The shop's street detail,
position, hours and phone, the post office's stock and the listings' addresses and prices
are not in any source: they are sample data, marked so.

The `buyer` account (a distributor) has one open enquiry and one the producer answered,
with the notices they gave (the producer's inbox, the buyer's).
Loading twice adds nothing (each record is looked up by its name or address first).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from ocophub.accounts.demo import password_for
from ocophub.accounts.models import Role, User
from ocophub.places.models import Commune, Era
from ocophub.products.models import Product

from .models import Enquiry, Listing, ListingStatus, Shop, ShopKind
from .receivers import tell_enquiry_answered, tell_enquiry_received

DA_BAC = 4831  # xã Đà Bắc (current), the former Đà Bắc town
LAC_SON = 5266  # current commune of Lạc Sơn's centre (former Vụ Bản town)

# The products the seeds name as certified.
SEED_PRODUCTS = ["Mật ong Thanh An", "Hạt dổi Chí Đạo", "Ớt Phú Lương"]

# (name, kind, address, commune code, latitude, longitude, hours, phone)
SHOPS = [
    (
        "Cửa hàng sản phẩm OCOP Đà Bắc",
        ShopKind.OCOP_SHOP,
        "Tiểu khu Mu, xã Đà Bắc",
        DA_BAC,
        Decimal("20.880500"),
        Decimal("105.249800"),
        "7:00–18:00, thứ Hai – Chủ nhật",
        "0218 3827 123",
    ),
    (
        "Bưu điện Lạc Sơn – điểm bán sản phẩm OCOP",
        ShopKind.POST_OFFICE,
        "Khu 4, xã Lạc Sơn",
        LAC_SON,
        Decimal("20.451200"),
        Decimal("105.451900"),
        "7:30–17:30, thứ Hai – thứ Bảy",
        "0218 3861 234",
    ),
]

# (product, platform, address, price in VND)
LISTINGS = [
    ("Mật ong Thanh An", "postmart", "https://postmart.vn/san-pham/mat-ong-thanh-an", 250000),
    ("Mật ong Thanh An", "voso", "https://voso.vn/mat-ong-thanh-an-lac-son", 245000),
    ("Hạt dổi Chí Đạo", "postmart", "https://postmart.vn/san-pham/hat-doi-chi-dao", 180000),
    ("Hạt dổi Chí Đạo", "voso", "https://voso.vn/hat-doi-chi-dao-hoa-binh", 175000),
    ("Ớt Phú Lương", "postmart", "https://postmart.vn/san-pham/ot-phu-luong", 60000),
    ("Ớt Phú Lương", "voso", "https://voso.vn/ot-phu-luong-lac-son", 58000),
]

# A distributor in Hà Nội (sample).
BUYER = ("buyer", "Trần Văn Phúc")

# (product, quantity, days until needed, place, message, answer or "")
ENQUIRIES = [
    (
        "Mật ong Thanh An",
        "200 hũ 500 ml",
        30,
        "Kho Long Biên, Hà Nội",
        "Chúng tôi muốn đặt mật ong cho chuỗi cửa hàng thực phẩm sạch. Xin báo giá sỉ "
        "và thời gian giao hàng.",
        "",
    ),
    (
        "Hạt dổi Chí Đạo",
        "50 kg",
        45,
        "Kho Long Biên, Hà Nội",
        "Xin hỏi hợp tác xã có cung cấp hạt dổi đóng gói 100 g không, và giá cho 50 kg?",
        "Hợp tác xã có gói 100 g và 200 g. Giá sỉ 50 kg là 1.600.000 đồng/kg, giao trong "
        "7 ngày kể từ khi đặt.",
    ),
]


def buyer_account():
    username, full_name = BUYER
    user, new = User.objects.get_or_create(
        username=username,
        defaults={
            "role": Role.BUYER,
            "first_name": full_name.rsplit(" ", 1)[1],
            "last_name": full_name.rsplit(" ", 1)[0],
            "email": f"{username}@demo.ocophub.vn",
        },
    )
    if new:
        user.set_password(password_for(username))
        user.save()
    return user, new


def load():
    products = {p.name: p for p in Product.objects.filter(name__in=SEED_PRODUCTS)}
    counts = {"shops": 0, "listings": 0, "enquiries": 0}
    for name, kind, address, code, lat, lon, hours, phone in SHOPS:
        shop, new = Shop.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "address": address,
                "commune": Commune.objects.get(era=Era.CURRENT, code=code),
                "latitude": lat,
                "longitude": lon,
                "hours": hours,
                "phone": phone,
                "is_sample": True,
            },
        )
        if new:
            shop.products.add(*products.values())
            counts["shops"] += 1
    for name, platform, url, price in LISTINGS:
        if name not in products:
            continue
        _listing, new = Listing.objects.get_or_create(
            product=products[name],
            platform=platform,
            url=url,
            defaults={"price": price, "status": ListingStatus.LIVE, "is_sample": True},
        )
        counts["listings"] += new
    buyer, _new = buyer_account()
    today = timezone.localdate()
    for name, quantity, days, place, message, answer in ENQUIRIES:
        if name not in products:
            continue
        enquiry, new = Enquiry.objects.get_or_create(
            buyer=buyer,
            product=products[name],
            quantity=quantity,
            defaults={
                "needed_by": today + datetime.timedelta(days=days),
                "place": place,
                "message": message,
            },
        )
        if new:
            counts["enquiries"] += 1
            tell_enquiry_received(enquiry)
            if answer:
                enquiry.answer_with(answer)
                tell_enquiry_answered(enquiry)
    return (
        f"{counts['shops']} points of sale, {counts['listings']} listings, "
        f"{counts['enquiries']} enquiries created"
    )
