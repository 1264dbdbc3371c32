"""Progress on crafted data: what counts on which day, and how records roll up."""

import datetime

import pytest

from ocophub.conftest import current_commune, legacy_commune
from ocophub.places.models import Era, Province
from ocophub.programme import progress as p
from ocophub.programme.models import Target, TargetKind, UnitLevel

from .conftest import CHI_DAO, LAC_SON, MY_THANH, QUY_HOA, VU_BAN

D = datetime.date
pytestmark = pytest.mark.django_db


def lac_son_coverage(**fields):
    fields.setdefault("threshold", 1)
    fields.setdefault("min_stars", 3)
    return Target.objects.create(
        kind=TargetKind.COVERAGE,
        title="Mỗi xã, thị trấn có ít nhất 1 sản phẩm OCOP",
        unit_era=Era.LEGACY,
        unit_level=UnitLevel.DISTRICT,
        unit_code=LAC_SON,
        deadline=D(2025, 12, 31),
        **fields,
    )


def test_commune_whose_only_certificate_expired_does_not_count(lac_son, product_in, certify):
    certify(product_in(MY_THANH), valid_from=D(2023, 6, 1))  # valid to 31 May 2026
    certify(product_in(CHI_DAO), valid_from=D(2020, 1, 10))  # expired 9 Jan 2023
    target = lac_son_coverage()
    communes = lac_son.communes.count()
    assert communes == 24

    result = p.progress(target, D(2024, 1, 1))
    assert (result.done, result.total, result.met) == (1, communes, False)
    assert "Xã Mỹ Thành" not in result.missing
    assert "Xã Chí Đạo" in result.missing
    assert "Thị trấn Vụ Bản" in result.missing
    assert len(result.missing) == communes - 1

    # In 2022 Chí Đạo's certificate was still in force, Mỹ Thành's not yet issued.
    earlier = p.progress(target, D(2022, 6, 1))
    assert earlier.done == 1
    assert "Xã Chí Đạo" not in earlier.missing and "Xã Mỹ Thành" in earlier.missing


def test_revoked_four_star_does_not_count(lac_son, product_in, certify):
    product = product_in(VU_BAN)
    certify(product, stars=4, valid_from=D(2023, 6, 1), revoked_on=D(2024, 9, 1))
    target = Target.objects.create(
        kind=TargetKind.COUNT,
        title="Huyện có ít nhất 1 sản phẩm 4 sao",
        unit_era=Era.LEGACY,
        unit_level=UnitLevel.DISTRICT,
        unit_code=LAC_SON,
        threshold=1,
        min_stars=4,
        deadline=D(2025, 12, 31),
    )
    assert p.progress(target, D(2024, 8, 31)).met
    after = p.progress(target, D(2024, 9, 1))
    assert (after.done, after.total, after.met) == (0, 1, False)
    assert after.missing == ["Huyện Lạc Sơn"]
    # A 3-star certificate of another product does not satisfy a 4-star target.
    certify(product_in(MY_THANH), stars=3, valid_from=D(2024, 1, 1))
    assert not p.progress(target, D(2024, 10, 1)).met
    assert p.count_on(D(2024, 10, 1), lac_son, 3) == 1


def test_boundary_days(lac_son, product_in, certify):
    cert = certify(product_in(MY_THANH), valid_from=D(2023, 3, 15), valid_until=D(2026, 3, 14))
    assert p.count_on(D(2023, 3, 14), lac_son) == 0
    assert p.count_on(D(2023, 3, 15), lac_son) == 1  # valid_from
    assert p.count_on(D(2026, 3, 14), lac_son) == 1  # valid_until, inclusive
    assert p.count_on(D(2026, 3, 15), lac_son) == 0  # valid_until + 1
    cert.revoked_on = D(2024, 5, 20)
    cert.save()
    assert p.count_on(D(2024, 5, 19), lac_son) == 1
    assert p.count_on(D(2024, 5, 20), lac_son) == 0  # revoked from the revocation day
    # The same rule as the certificate's own status on each day.
    for day in (D(2023, 3, 14), D(2023, 3, 15), D(2024, 5, 19), D(2024, 5, 20)):
        assert (p.count_on(day, lac_son) == 1) == cert.status_on(day).startswith(("valid", "exp"))


def test_superseded_product_counts_once_under_its_new_stars(lac_son, product_in, certify):
    product = product_in(MY_THANH)
    old = certify(product, stars=3, valid_from=D(2022, 1, 1))
    new = certify(product, stars=4, valid_from=D(2023, 7, 1))
    old.superseded_on, old.superseded_by = D(2023, 7, 1), new
    old.save()
    assert p.by_stars(D(2023, 6, 30), lac_son) == {3: 1, 4: 0, 5: 0}
    assert p.by_stars(D(2023, 7, 1), lac_son) == {3: 0, 4: 1, 5: 0}
    assert p.count_on(D(2023, 7, 1), lac_son) == 1


def test_overlapping_certificates_count_under_the_highest(lac_son, product_in, certify):
    product = product_in(MY_THANH)
    certify(product, stars=3, valid_from=D(2022, 1, 1))
    certify(product, stars=5, valid_from=D(2023, 1, 1))
    assert p.by_stars(D(2023, 2, 1), lac_son) == {3: 0, 4: 0, 5: 1}
    assert p.count_on(D(2023, 2, 1), lac_son) == 1


def test_era_roll_up(lac_son, product_in, certify, phu_tho):
    day = D(2025, 9, 1)
    # Chí Đạo (legacy) became Quyết Thắng (current, same code); Mỹ Thành is unmapped.
    certify(product_in(CHI_DAO, name="Hạt dổi"), valid_from=D(2024, 1, 1))
    certify(product_in(MY_THANH, name="Mật ong"), valid_from=D(2024, 1, 1))
    quyet_thang = current_commune(CHI_DAO)
    certify(product_in(quyet_thang, name="Gà đồi"), valid_from=D(2025, 8, 1))

    # Current era: both legacy records roll up to Phú Thọ, one to Quyết Thắng.
    assert p.count_on(day, phu_tho) == 3
    assert p.count_on(day, quyet_thang) == 2
    by_commune = p.grouped(day, phu_tho, p.child_key(p.CURRENT_COMMUNES))
    assert by_commune[quyet_thang.pk] == 2
    assert by_commune[None] == 1  # Mỹ Thành: no current commune mapped yet
    by_province = p.grouped(day, None, p.child_key(p.CURRENT_PROVINCES))
    assert by_province == {phu_tho.pk: 3}

    # Legacy era: the district counts the records made under its communes, and the one
    # made after the reform under Quyết Thắng, formed (as mapped) from Chí Đạo only.
    assert p.count_on(day, lac_son) == 3
    assert p.by_unit(day, phu_tho, p.LEGACY_DISTRICTS) == {lac_son.pk: 3}
    hoa_binh = Province.objects.get(era=Era.LEGACY, code=17)
    assert p.count_on(day, hoa_binh) == 3
    assert p.by_unit(day, None, p.LEGACY_PROVINCES) == {hoa_binh.pk: 3}
    assert p.count_on(day, legacy_commune(CHI_DAO)) == 2
    by_commune = p.by_unit(day, lac_son, p.LEGACY_COMMUNES)
    assert by_commune == {legacy_commune(CHI_DAO).pk: 2, legacy_commune(MY_THANH).pk: 1}
    # Children listed for each level include the units with no products.
    districts = p.children(phu_tho, p.LEGACY_DISTRICTS)
    assert lac_son in districts and districts.count() > 10  # Hòa Bình's and Vĩnh Phúc's
    assert set(p.children(quyet_thang, p.LEGACY_COMMUNES)) == {legacy_commune(CHI_DAO)}


def test_commune_merged_across_districts_is_not_split_back(lac_son, product_in, certify):
    """Mường Vang (current) formed from Tân Lập (Lạc Sơn) and, as mapped here, Hùng Sơn
    (Kim Bôi): its records count for Hòa Bình but for neither district nor commune."""
    day = D(2025, 9, 1)
    muong_vang = current_commune(5287)
    hung_son = legacy_commune(4987)
    hung_son.successor = muong_vang
    hung_son.save()
    certify(product_in(muong_vang, name="Xôi ngũ sắc"), valid_from=D(2025, 8, 1))
    assert p.count_on(day, lac_son) == 0
    assert p.count_on(day, legacy_commune(5287)) == 0
    assert p.count_on(day, Province.objects.get(era=Era.LEGACY, code=17)) == 1
    phu_tho = muong_vang.province
    assert p.by_unit(day, phu_tho, p.LEGACY_DISTRICTS) == {None: 1}
    assert p.by_unit(day, phu_tho, p.CURRENT_COMMUNES) == {muong_vang.pk: 1}


def test_count_target_on_a_current_province(phu_tho, product_in, certify):
    target = Target.objects.create(
        kind=TargetKind.COUNT,
        title="210 sản phẩm OCOP",
        unit_era=Era.CURRENT,
        unit_level=UnitLevel.PROVINCE,
        unit_code=25,
        threshold=3,
        deadline=D(2030, 12, 31),
    )
    assert target.province == phu_tho and target.unit_name == "Phú Thọ"
    certify(product_in(MY_THANH), valid_from=D(2024, 1, 1))
    certify(product_in(QUY_HOA), valid_from=D(2024, 6, 1), stars=4)
    result = p.progress(target, D(2025, 1, 1))
    assert (result.done, result.total, result.met, result.percent) == (2, 3, False, 67)
    assert [d for d, _n in p.trajectory(target, D(2025, 1, 1))][-1] == D(2025, 1, 1)
    assert dict(p.trajectory(target, D(2025, 1, 1))) == {
        D(2021, 12, 31): 0,
        D(2022, 12, 31): 0,
        D(2023, 12, 31): 0,
        D(2024, 12, 31): 2,
        D(2025, 1, 1): 2,
    }


def test_growth_target_from_a_counted_baseline(phu_tho, product_in, certify):
    for code in (MY_THANH, QUY_HOA):
        certify(product_in(code), valid_from=D(2023, 1, 1))
    target = Target.objects.create(
        kind=TargetKind.GROWTH,
        title="Tăng 50% số sản phẩm",
        unit_era=Era.CURRENT,
        unit_level=UnitLevel.PROVINCE,
        unit_code=25,
        threshold=50,
        baseline_date=D(2023, 12, 31),
        deadline=D(2026, 12, 31),
    )
    assert p.progress(target, D(2024, 1, 1)).baseline == 2
    assert not p.progress(target, D(2024, 1, 1)).met
    certify(product_in(VU_BAN), valid_from=D(2024, 2, 1))
    result = p.progress(target, D(2024, 3, 1))
    assert (result.done, result.total, result.met, result.count) == (1, 1, True, 3)


def test_coverage_threshold_and_stars(lac_son, product_in, certify):
    target = lac_son_coverage(threshold=2, min_stars=4)
    certify(product_in(MY_THANH), stars=4, valid_from=D(2024, 1, 1))
    certify(product_in(MY_THANH), stars=3, valid_from=D(2024, 1, 1))
    assert p.progress(target, D(2024, 6, 1)).done == 0  # only one of 4 stars
    certify(product_in(MY_THANH), stars=5, valid_from=D(2024, 1, 1))
    assert p.progress(target, D(2024, 6, 1)).done == 1
    path = p.trajectory(target, D(2024, 6, 1), step="quarter", start=D(2023, 10, 1))
    assert path == [(D(2023, 12, 31), 0), (D(2024, 3, 31), 1), (D(2024, 6, 1), 1)]


def test_period_ends():
    assert p.period_ends(D(2024, 2, 1), D(2024, 11, 5), "quarter") == [
        D(2024, 3, 31),
        D(2024, 6, 30),
        D(2024, 9, 30),
        D(2024, 11, 5),
    ]
    assert p.period_ends(D(2022, 1, 1), D(2023, 12, 31)) == [D(2022, 12, 31), D(2023, 12, 31)]
