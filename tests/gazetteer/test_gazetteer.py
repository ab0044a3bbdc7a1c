from __future__ import annotations

import pytest

from bot.gazetteer import all_place_names, place_by_adcode, resolve_place


@pytest.mark.parametrize(
    ("text", "adcode", "level"),
    [
        ("彭阳", "640425", "county"),
        ("彭阳县", "640425", "county"),
        ("固原", "640400", "city"),
        ("长沙", "430100", "city"),  # the city, not 长沙县
        ("长沙县", "430121", "county"),
        ("广州", "440100", "city"),
        ("贵阳", "520100", "city"),
        ("宁夏", "640000", "province"),
        ("湖南", "430000", "province"),
        ("广西", "450000", "province"),
        ("内蒙古", "150000", "province"),
        ("湘西", "433100", "city"),
        ("黔东南", "522600", "city"),
        (" 彭阳 ", "640425", "county"),
        ("宝安", "440306", "county"),  # a district without its 区
        ("花溪", "520111", "county"),
        ("七星关", "520502", "county"),
    ],
)
def test_names_and_short_forms(text: str, adcode: str, level: str) -> None:
    place = resolve_place(text)
    assert place is not None
    assert (place.adcode, place.level) == (adcode, level)


@pytest.mark.parametrize(
    ("address", "adcode"),
    [
        ("宁夏固原市彭阳县白阳镇xx路", "640425"),
        ("宁夏回族自治区固原市", "640400"),
        ("湖南省长沙市岳麓区麓山南路", "430104"),
        ("广州市越秀区中山路", "440104"),  # 中山路 must not pull towards 中山市
        ("贵阳市白云区", "520113"),
        ("广州市白云区", "440111"),
        ("彭阳县城区", "640425"),
        ("北京朝阳区", "110105"),
        ("深圳宝安", "440306"),
        ("成都双流", "510116"),
        ("深圳南山", "440305"),  # 南山区 is also in 鹤岗
        ("广州市越秀区天河路", "440104"),  # a street named after another district
        ("彭阳县红河镇", "640425"),  # a town named like 红河州
        ("深圳宝安区西乡街道", "440306"),  # a subdistrict named like 西乡县
        ("我在彭阳镇上打工", "640425"),  # 镇上: in town, no town's name
        ("回湖南乡下", "430000"),  # 乡下: the countryside
    ],
)
def test_addresses_resolve_to_most_specific_level(address: str, adcode: str) -> None:
    place = resolve_place(address)
    assert place is not None
    assert place.adcode == adcode


@pytest.mark.parametrize("text", ["", "   ", "火星", "鼓楼区", "南山", "999999", "12333"])
def test_unknown_or_ambiguous_text_is_none(text: str) -> None:
    assert resolve_place(text) is None


@pytest.mark.parametrize(
    ("code", "name"),
    [("640425", "彭阳县"), ("640425000000", "彭阳县"), (640425, "彭阳县"), ("430000", "湖南省")],
)
def test_place_by_adcode(code: str | int, name: str) -> None:
    place = place_by_adcode(code)
    assert place is not None
    assert place.name == name


@pytest.mark.parametrize("code", ["999999", "64042", "6404250", "640425000001", "abc", ""])
def test_bad_adcode_is_none(code: str) -> None:
    assert place_by_adcode(code) is None


def test_place_carries_coordinates_full_name_and_containment() -> None:
    pengyang, guyuan = place_by_adcode("640425"), place_by_adcode("640400")
    assert pengyang is not None and guyuan is not None
    assert pengyang.full_name == "宁夏回族自治区固原市彭阳县"
    assert pengyang.lat == pytest.approx(35.86, abs=0.01)
    assert pengyang.lng == pytest.approx(106.63, abs=0.01)
    assert pengyang.is_within(guyuan)
    assert not guyuan.is_within(pengyang)


def test_all_place_names_has_full_names_and_short_forms_only() -> None:
    names = set(all_place_names())
    assert {"彭阳", "彭阳县", "固原", "固原市", "宁夏", "宁夏回族自治区", "长沙", "贵阳"} <= names
    assert not names & {"市辖区", "县", "省直辖县级行政区划"}
    assert all(len(name) >= 2 for name in names)
