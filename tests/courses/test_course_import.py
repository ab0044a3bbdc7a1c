from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.courses import importer
from bot.courses.cli import main
from bot.courses.importer import (
    COLUMNS,
    SAMPLE_WRITTEN_ON,
    CatalogueImportError,
    import_catalogue,
    load_sample_if_empty,
    parse_catalogue,
)
from bot.courses.messages import CLI_MESSAGES
from bot.courses.store import Catalogue
from bot.gazetteer import place_by_adcode


def issues_of(data: bytes) -> list[tuple[int | None, str]]:
    with pytest.raises(CatalogueImportError) as raised:
        parse_catalogue(data)
    return [(issue.line, issue.code) for issue in raised.value.issues]


def test_valid_row_becomes_a_record(row, to_csv) -> None:
    [record] = parse_catalogue(to_csv(row()))
    assert record.adcode == "640425"
    assert (record.lat, record.lng) == (35.85, 106.64)
    assert (record.start_date, record.end_date) == (date(2026, 12, 1), date(2027, 1, 15))
    assert record.subsidized is True
    assert record.phone == "0954-00000001"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"start_date": "2026-13-01"}, "bad_date"),
        ({"end_date": "明年"}, "bad_date"),
        ({"end_date": "2026-11-30"}, "end_before_start"),
        ({"adcode": "999999"}, "bad_adcode"),
        ({"adcode": "64042"}, "bad_adcode"),
        ({"adcode": "", "address": "某某职业学校"}, "unresolvable_place"),
        ({"phone": "12345"}, "bad_phone"),
        ({"phone": "0954-abc"}, "bad_phone"),
        ({"subsidized": "也许"}, "bad_bool"),
        ({"subsidized": ""}, "required"),
        ({"institution": ""}, "required"),
        ({"lat": ""}, "half_coordinates"),
        ({"lat": "北纬35"}, "bad_coordinate"),
        ({"lat": "nan"}, "bad_coordinate"),
        ({"lat": "106.64", "lng": "35.85"}, "outside_china"),
    ],
)
def test_bad_row_is_reported_with_its_line(row, to_csv, changes, code) -> None:
    assert issues_of(to_csv(row(), row(**changes), row())) == [(3, code)]


def test_every_bad_row_is_reported(row, to_csv) -> None:
    data = to_csv(row(start_date="x"), row(), row(phone="1"), row(subsidized="maybe"))
    assert issues_of(data) == [(2, "bad_date"), (4, "bad_phone"), (5, "bad_bool")]


def test_column_count_and_multiline_fields_keep_line_numbers(row, to_csv) -> None:
    data = to_csv(row(course="焊工\n初级班")) + b"a,b,c\n"
    assert issues_of(data) == [(4, "column_count")]


@pytest.mark.parametrize(
    "header",
    [
        COLUMNS[:-1],
        (*COLUMNS, "extra"),
        ("机构", *COLUMNS[1:]),
    ],
)
def test_wrong_header(row, to_csv, header) -> None:
    assert issues_of(to_csv(row(), header=header)) == [(1, "bad_header")]


def test_header_in_another_order_is_accepted(row, to_csv) -> None:
    [record] = parse_catalogue(to_csv(row(), header=tuple(reversed(COLUMNS))))
    assert record.course == "焊工初级班"


@pytest.mark.parametrize(("data", "code"), [(b"", "empty_file"), (None, "no_rows")])
def test_empty_files(to_csv, data, code) -> None:
    assert issues_of(to_csv() if data is None else data) == [(None, code)]


def test_bom_is_accepted(row, to_csv) -> None:
    assert len(parse_catalogue(b"\xef\xbb\xbf" + to_csv(row()))) == 1


def test_non_utf8_file_names_the_first_bad_line(row, to_csv) -> None:
    gbk = to_csv(row()).decode("utf-8").encode("gb18030")
    assert issues_of(gbk) == [(2, "not_utf8")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("是", True), ("否", False), ("true", True), ("FALSE", False), ("1", True), ("0", False)],
)
def test_booleans(row, to_csv, value, expected) -> None:
    [record] = parse_catalogue(to_csv(row(subsidized=value)))
    assert record.subsidized is expected


@pytest.mark.parametrize("value", ["2026-12-01", "2026/12/1", "2026.12.01", "2026年12月1日"])
def test_date_formats(row, to_csv, value) -> None:
    [record] = parse_catalogue(to_csv(row(start_date=value)))
    assert record.start_date == date(2026, 12, 1)


@pytest.mark.parametrize(
    "phone",
    [
        "13800000001",
        "+86 138 0000 0001",
        "0954-00000001",
        "02000000001",
        "020-0000000-123",
        "400-000-0000",
    ],
)
def test_phone_formats(row, to_csv, phone) -> None:
    [record] = parse_catalogue(to_csv(row(phone=phone)))
    assert record.phone == phone.replace(" ", "")


def test_phone_is_required(row, to_csv) -> None:
    with pytest.raises(CatalogueImportError) as error:
        parse_catalogue(to_csv(row(phone="")))
    assert "第 2 行" in str(error.value) and "电话" in str(error.value)


@pytest.mark.parametrize(
    ("changes", "adcode"),
    [
        ({"lat": "", "lng": ""}, "640425"),  # coordinates of the adcode
        (
            {"lat": "", "lng": "", "adcode": "", "address": "宁夏固原市彭阳县白阳镇"},
            "640425",
        ),  # of the address
        ({"lat": "", "lng": "", "adcode": "640400"}, "640400"),  # the adcode wins over the address
    ],
)
def test_empty_coordinates_come_from_the_gazetteer(row, to_csv, changes, adcode) -> None:
    [record] = parse_catalogue(to_csv(row(**changes)))
    place = place_by_adcode(adcode)
    assert place is not None
    assert (record.adcode, record.lat, record.lng) == (adcode, place.lat, place.lng)


@pytest.mark.parametrize(
    ("given", "stored"), [("电焊", "焊工"), ("焊工", "焊工"), ("月嫂", "月嫂"), ("茶艺师", "茶艺师")]
)
def test_unambiguous_synonyms_are_stored_canonical(row, to_csv, given, stored) -> None:
    [record] = parse_catalogue(to_csv(row(occupation=given)))
    assert record.occupation == stored


def test_import_is_all_or_nothing(catalogue: Catalogue, row, to_csv, write_file) -> None:
    import_catalogue(write_file(to_csv(row())), catalogue=catalogue)
    with pytest.raises(CatalogueImportError):
        import_catalogue(write_file(to_csv(row(), row(), row(end_date="2020-01-01"))), catalogue=catalogue)
    assert catalogue.count() == 1


@pytest.mark.parametrize(("replace", "expected"), [(False, 3), (True, 2)])
def test_replace(catalogue: Catalogue, row, to_csv, write_file, replace, expected) -> None:
    import_catalogue(write_file(to_csv(row())), catalogue=catalogue)
    assert import_catalogue(write_file(to_csv(row(), row())), replace=replace, catalogue=catalogue) == 2
    assert catalogue.count() == expected


def test_cli_imports_and_reports_progress(monkeypatch, tmp_path, row, to_csv, write_file, capsys) -> None:
    database = tmp_path / "cli.db"
    monkeypatch.setattr(importer, "get_catalogue", lambda: Catalogue.from_url(f"sqlite:///{database}"))
    monkeypatch.setattr(importer, "PROGRESS_EVERY_ROWS", 2)
    path = write_file(to_csv(row(), row(), row(), row(), row()))

    assert main(["import", str(path)]) == 0
    assert main(["import", str(path), "--replace"]) == 0

    output = capsys.readouterr().out.splitlines()
    checked = [line for line in output if line.startswith(CLI_MESSAGES["checked"].split("{")[0])]
    assert checked == [CLI_MESSAGES["checked"].format(count=n) for n in (2, 4, 2, 4)]
    assert output[-1] == CLI_MESSAGES["replaced"].format(count=5)
    assert Catalogue.from_url(f"sqlite:///{database}").count() == 5


def test_cli_exit_codes_and_error_report(monkeypatch, tmp_path, row, to_csv, write_file, capsys) -> None:
    database = tmp_path / "cli.db"
    monkeypatch.setattr(importer, "get_catalogue", lambda: Catalogue.from_url(f"sqlite:///{database}"))
    path = write_file(to_csv(row(), row(adcode="000000")))

    assert main(["import", str(path)]) == 1
    assert "第 3 行" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "missing.csv")]) == 1
    assert main([]) == 2
    assert main(["export", str(path)]) == 2
    assert Catalogue.from_url(f"sqlite:///{database}").count() == 0


def test_sample_catalogue_loads_once_and_covers_the_four_regions(catalogue: Catalogue) -> None:
    written = load_sample_if_empty(catalogue, today=SAMPLE_WRITTEN_ON)
    assert written >= 48
    assert load_sample_if_empty(catalogue) == 0
    assert catalogue.count() == written

    courses = catalogue.fetch(list(range(1, written + 1))).values()
    assert all(course.institution.startswith("（示例）") for course in courses)
    assert min(course.end_date for course in courses) == date(2026, 4, 17)  # the dates as written
    provinces = {course.adcode[:2] for course in courses}
    assert provinces == {"43", "44", "52", "64"}  # 湖南 广东 贵州 宁夏
    assert sum(course.adcode == "640425" for course in courses) >= 5  # 彭阳县
    assert sum(course.adcode.startswith("6404") for course in courses) >= 10  # 固原市
    assert any(course.end_date < date(2026, 11, 22) for course in courses)
    assert any(course.subsidized for course in courses) and not all(course.subsidized for course in courses)


def test_sample_dates_move_forward_by_whole_weeks_to_the_day_of_loading(tmp_path) -> None:
    as_written = Catalogue.from_url(f"sqlite:///{tmp_path / 'written.db'}")
    later = Catalogue.from_url(f"sqlite:///{tmp_path / 'later.db'}")
    count = load_sample_if_empty(as_written, today=SAMPLE_WRITTEN_ON)
    load_sample_if_empty(later, today=SAMPLE_WRITTEN_ON + timedelta(days=100))  # 14 weeks and 2 days
    ids = list(range(1, count + 1))
    for before, after in zip(as_written.fetch(ids).values(), later.fetch(ids).values(), strict=True):
        assert after.start_date - before.start_date == timedelta(weeks=14)
        assert after.end_date - before.end_date == timedelta(weeks=14)
