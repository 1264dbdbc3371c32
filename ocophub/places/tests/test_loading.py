import io

import pytest
from django.utils import translation

from ocophub.places.loading import MappingError, import_mapping, load_shipped
from ocophub.places.models import Commune, District, Era, MappingSource, Province

pytestmark = pytest.mark.django_db


def test_both_eras_are_loaded_with_their_dates():
    assert Province.objects.filter(era=Era.CURRENT).count() == 34
    assert Province.objects.filter(era=Era.LEGACY).count() == 63
    assert Commune.objects.filter(era=Era.CURRENT).count() == 3321
    assert Commune.objects.filter(era=Era.LEGACY).count() > 10000
    hoa_binh = Province.objects.get(era=Era.LEGACY, code=17)
    assert hoa_binh.districts.count() == 10
    lac_son = District.objects.get(era=Era.LEGACY, code=157)
    assert lac_son.name == "Huyện Lạc Sơn" and lac_son.communes.count() == 24
    assert str(hoa_binh.valid_until) == "2025-06-30"
    assert str(Province.objects.get(era=Era.CURRENT, code=25).valid_from) == "2025-07-01"


def test_hoa_binh_became_phu_tho_and_codes_carry_over():
    assert Province.objects.get(era=Era.LEGACY, code=17).successor.name == "Phú Thọ"
    chi_dao = Commune.objects.get(era=Era.LEGACY, code=5323)
    assert chi_dao.successor.name == "Xã Quyết Thắng"
    assert chi_dao.mapping_source == MappingSource.CODE_CARRIED
    my_thanh = Commune.objects.get(era=Era.LEGACY, code=5275)
    assert my_thanh.is_unmapped and my_thanh.current is None
    assert "Huyện Lạc Sơn" in my_thanh.display_name()


def test_a_commune_shows_as_it_is_today_first_and_as_it_was_made_second():
    chi_dao = Commune.objects.get(era=Era.LEGACY, code=5323)
    assert chi_dao.display_name() == (
        "Xã Quyết Thắng, Phú Thọ (trước 1/7/2025: Xã Chí Đạo, Huyện Lạc Sơn, Tỉnh Hoà Bình)"
    )
    my_thanh = Commune.objects.get(era=Era.LEGACY, code=5275)
    assert my_thanh.display_name().endswith("Tỉnh Hoà Bình (trước 1/7/2025)")
    assert chi_dao.successor.display_name() == "Xã Quyết Thắng, Phú Thọ"
    with translation.override("en"):
        assert chi_dao.display_name().startswith("Xã Quyết Thắng, Phú Thọ (before 1 July 2025: ")


def test_loading_again_changes_nothing_and_keeps_imported_mappings():
    my_thanh = Commune.objects.get(era=Era.LEGACY, code=5275)
    import_mapping(io.BytesIO(b"legacy_code,current_code\n5275,5266\n"))
    before = Commune.objects.count()
    load_shipped()
    assert Commune.objects.count() == before
    my_thanh.refresh_from_db()
    assert my_thanh.successor.code == 5266
    assert my_thanh.mapping_source == MappingSource.IMPORTED


def test_mapping_import_is_all_or_nothing_and_names_bad_rows():
    csv = b"legacy_code,current_code\n5275,5266\n5278,99999\nabc,5266\n"
    with pytest.raises(MappingError) as err, translation.override("en"):
        import_mapping(io.BytesIO(csv))
    problems = err.value.problems
    assert len(problems) == 2
    assert "Row 3" in problems[0] and "99999" in problems[0]
    assert "Row 4" in problems[1] and "legacy_code" in problems[1]
    assert Commune.objects.get(era=Era.LEGACY, code=5275).successor_id is None


def test_mapping_import_names_missing_columns():
    with pytest.raises(MappingError, match="current_code"):
        import_mapping(io.BytesIO(b"legacy_code\n5275\n"))
