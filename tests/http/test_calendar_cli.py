"""The official calendar in the database: `phuong calendar import`, `show`/`due` reading the
imported schedule, a unit's working hours (`calendar hours`). Every command is given
`--data`, so on PostgreSQL conftest adds the data folder's own database."""
from pathlib import Path

import pytest

from conftest import ROOT, database_url, phuong
from dbutil import Db

HOLIDAYS = ROOT / "data" / "calendar" / "holidays-vn.tsv"
SWAPPED = ROOT / "data" / "calendar" / "workdays-swapped-vn.tsv"

# The 2027 rows of shared/domain/holidays-vn.tsv: the statutory days alone, no Tết (the
# 2027 schedule has not been announced). That file is data/calendar's plus these.
STATUTORY_2027 = (
    "2027-01-01\tTết Dương lịch (luật định; chưa có thông báo lịch nghỉ)\tBộ luật Lao động 2019 Điều 112\n"
    "2027-04-16\tGiỗ Tổ Hùng Vương (luật định; chưa có thông báo)\tBộ luật Lao động 2019 Điều 112; date computed\n"
    "2027-04-30\tNgày Chiến thắng 30/4 (luật định)\tBộ luật Lao động 2019 Điều 112\n"
    "2027-05-01\tNgày Quốc tế Lao động 1/5 (luật định; ngày nghỉ bù chưa công bố) (trùng Thứ Bảy/Chủ nhật)\tBộ luật Lao động 2019 Điều 112\n"
    "2027-09-02\tQuốc khánh 2/9 (luật định; ngày liền kề chưa công bố)\tBộ luật Lao động 2019 Điều 112\n"
)


def year_only(src, year, dest):
    """Writes the header and the rows of one year of a TSV file to dest."""
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    dest.write_text(lines[0] + "".join(l for l in lines[1:] if l.startswith("%d-" % year)),
                    encoding="utf-8")
    return dest


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def files_2026(tmp_path):
    return (year_only(HOLIDAYS, 2026, tmp_path / "holidays-2026.tsv"),
            year_only(SWAPPED, 2026, tmp_path / "swapped-2026.tsv"))


def ok(r):
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def entries(data):
    """The calendar_entry rows of the data folder's database, by date."""
    return {r["day"]: r for r in Db(database_url(data)).rows(
        "SELECT day, kind, name, source FROM calendar_entry ORDER BY day")}


def import_2026(data, files_2026):
    holidays, swapped = files_2026
    return ok(phuong("calendar", "import", holidays, "--swapped", swapped, "--data", data))


def test_help_names_import_and_hours():
    out = ok(phuong("calendar", "--help"))
    assert "calendar import FILE" in out and "calendar hours" in out
    assert "--year" in ok(phuong("calendar", "import", "--help"))
    assert "--set" in ok(phuong("calendar", "hours", "--help"))
    assert "import|hours" in ok(phuong("--help"))


def test_import_2026_then_show_marks_tet_from_the_schedule(data, files_2026):
    out = import_2026(data, files_2026)
    assert "Năm 2026: đã nhập 22 ngày nghỉ, 2 ngày làm bù." in out
    assert "imported 2026 day_off=22 working_day=2 replaced=0" in out
    assert "Các năm đã có lịch chính thức: 2026" in out

    shown = ok(phuong("calendar", "show", "2026-02", "--data", data))
    assert "Ngày nghỉ theo lịch chính thức đã nhập." in shown
    assert "Giờ làm việc: Thứ 2 đến Thứ 6, 07:30-11:30 và 13:00-17:00" in shown
    # The whole 14-22/2 break, weekends included, as the schedule names it.
    for day in range(14, 23):
        assert "%4d*" % day in shown, day
    assert "16/02 Thứ 2    nghỉ:   Tết Nguyên đán Bính Ngọ (đợt nghỉ 14/02–22/02" in shown
    assert "  23   24" in shown and "Số ngày làm việc: 15" in shown
    # Without the database: the computed proposal (16-20/2 only, Saturday 14/2 a weekend).
    proposal = ok(phuong("calendar", "show", "2026-02"))
    assert "do chương trình đề xuất" in proposal and "  14." in proposal
    assert "Bính Ngọ" not in proposal
    # The year the files did not name is still a proposal in the database too.
    assert "do chương trình đề xuất" in ok(phuong("calendar", "show", "2025-01", "--data", data))

    rows = entries(data)
    assert len(rows) == 24
    assert rows["2026-01-10"]["kind"] == "working_day"
    assert rows["2026-02-17"]["kind"] == "day_off"
    assert "9441/TB-BNV" in rows["2026-02-17"]["source"]
    assert "calendar.import" in Db(database_url(data)).value(
        "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")
    ok(phuong("audit", "verify", "--data", data))


def test_whole_file_with_unannounced_2027_is_refused(data, tmp_path):
    whole = tmp_path / "holidays-vn.tsv"
    whole.write_text(HOLIDAYS.read_text(encoding="utf-8") + STATUTORY_2027, encoding="utf-8")
    r = phuong("calendar", "import", whole, "--swapped", SWAPPED, "--data", data)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "2027" in r.stderr and "Tết" in r.stderr and "06/02/2027" in r.stderr
    assert "--year" in r.stderr and "--force" in r.stderr
    assert "2024 2025 2026" in r.stderr  # the years that may be imported
    assert r.stdout == ""
    # Nothing was written: every year is still the proposal.
    for month in ("2026-02", "2027-02"):
        assert "do chương trình đề xuất" in ok(phuong("calendar", "show", month, "--data", data))
    assert entries(data) == {}

    # One announced year at a time is fine, and 2027 stays a proposal.
    out = ok(phuong("calendar", "import", whole, "--swapped", SWAPPED, "--year", "2026",
                    "--data", data))
    assert "imported 2026 day_off=22 working_day=2 replaced=0" in out
    assert "2027" not in out and "2025" not in out
    assert sorted({d[:4] for d in entries(data)}) == ["2026"]
    shown = ok(phuong("calendar", "show", "2027-02", "--data", data))
    assert "do chương trình đề xuất" in shown and "Tết Nguyên đán" in shown

    # --force imports 2027 as it is, with a warning: then Tết 2027 is a working time.
    out = ok(phuong("calendar", "import", whole, "--year", "2027", "--force", "--data", data))
    assert "Cảnh báo: không có ngày nghỉ Tết Nguyên đán" in out
    shown = ok(phuong("calendar", "show", "2027-02", "--data", data))
    assert "lịch chính thức" in shown and "   8 " in shown

    r = phuong("calendar", "import", whole, "--year", "2031", "--data", data)
    assert r.returncode == 2 and "2031" in r.stderr


def test_shipped_files_import_whole(data):
    out = ok(phuong("calendar", "import", HOLIDAYS, "--swapped", SWAPPED, "--data", data))
    for year, off, worked in ((2024, 18, 1), (2025, 20, 1), (2026, 22, 2)):
        assert "imported %d day_off=%d working_day=%d replaced=0" % (year, off, worked) in out
    assert "Các năm đã có lịch chính thức: 2024 2025 2026" in out
    assert len(entries(data)) == 64


def test_reimport_replaces_the_year(data, files_2026, tmp_path):
    import_2026(data, files_2026)
    before = entries(data)
    out = import_2026(data, files_2026)
    assert "thay cho 24 ngày đã nhập trước" in out and "replaced=24" in out
    assert entries(data) == before  # no duplicates

    # A corrected schedule: one day dropped, one renamed. The year is replaced whole.
    holidays, swapped = files_2026
    lines = holidays.read_text(encoding="utf-8").splitlines(keepends=True)
    fixed = [l for l in lines if not l.startswith("2026-04-27")]
    fixed = [l.replace("Quốc khánh 2/9\t", "Quốc khánh 2/9 (đã sửa)\t") for l in fixed]
    corrected = tmp_path / "corrected.tsv"
    corrected.write_text("".join(fixed), encoding="utf-8")
    out = ok(phuong("calendar", "import", corrected, "--data", data))
    assert "imported 2026 day_off=21 working_day=0 replaced=24" in out
    after = entries(data)
    assert len(after) == 21 and "2026-04-27" not in after and "2026-01-10" not in after
    assert after["2026-09-02"]["name"] == "Quốc khánh 2/9 (đã sửa)"


def test_bad_file_names_the_line_and_writes_nothing(data, files_2026, tmp_path):
    import_2026(data, files_2026)
    before = entries(data)
    holidays, swapped = files_2026
    lines = holidays.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "bad.tsv"
    bad.write_text("".join(lines[:3]) + "2026-02-30\tNgày không có\tx\n" + "".join(lines[3:]),
                   encoding="utf-8")
    r = phuong("calendar", "import", bad, "--swapped", swapped, "--data", data)
    assert r.returncode == 2
    assert "dòng 4" in r.stderr and "2026-02-30" in r.stderr and "không nhập gì" in r.stderr
    assert r.stdout == ""
    assert entries(data) == before

    # A swapped day that the day-off file has already: the second file's line is named.
    clash = tmp_path / "clash.tsv"
    clash.write_text("date\tname\tsource\n2026-01-10\tLàm bù\tx\n2026-02-17\tLàm bù sai\tx\n",
                     encoding="utf-8")
    r = phuong("calendar", "import", holidays, "--swapped", clash, "--data", data)
    assert r.returncode == 2
    assert str(clash) in r.stderr and "dòng 3" in r.stderr and "2026-02-17" in r.stderr
    assert entries(data) == before

    # Not a schedule at all, an empty one, a missing file.
    for text in ("ngày\ttên\n2026-01-01\tTết\n", "date\tname\tsource\n"):
        bad.write_text(text, encoding="utf-8")
        r = phuong("calendar", "import", bad, "--data", data)
        assert r.returncode == 2 and r.stderr.strip(), text
    r = phuong("calendar", "import", tmp_path / "khong-co.tsv", "--data", data)
    assert r.returncode == 1 and "khong-co.tsv" in r.stderr
    assert entries(data) == before


def test_due_reads_the_imported_schedule(data, files_2026):
    import_2026(data, files_2026)

    def due(at, days, *more):
        out = ok(phuong("calendar", "due", "--from", at, "--working-days", str(days), *more))
        return out.strip().splitlines()[-1]

    r = phuong("calendar", "due", "--from", "2026-02-13 10:00", "--working-days", "2",
               "--data", data)
    assert "Hẹn trả:   Thứ 3, Ngày 24/02/2026, 17:00" in ok(r)
    assert due("2026-02-13 10:00", 2, "--data", data) == "due 2026-02-24T17:00:00+07:00"
    # Where the schedule and the proposal differ: Saturday 10/1 worked (làm bù), and the
    # Quốc khánh break 29/8-2/9 with Monday 31/8 swapped.
    assert due("2026-01-09 10:00", 1, "--data", data) == "due 2026-01-10T17:00:00+07:00"
    assert due("2026-01-09 10:00", 1) == "due 2026-01-12T17:00:00+07:00"
    assert due("2026-08-28 10:00", 1, "--data", data) == "due 2026-09-03T17:00:00+07:00"
    assert due("2026-08-28 10:00", 1) == "due 2026-08-31T17:00:00+07:00"
    # The file options still work, without the database.
    holidays, swapped = files_2026
    assert due("2026-01-09 10:00", 1, "--schedule", holidays, "--swapped", swapped) == \
        "due 2026-01-10T17:00:00+07:00"
    shown = ok(phuong("calendar", "show", "2026-08", "--schedule", holidays, "--swapped", swapped))
    assert "lịch chính thức" in shown and "  22+" in shown and "  31*" in shown


def test_hours_round_trip(data):
    out = ok(phuong("calendar", "hours", "--data", data))
    assert "chưa đặt riêng" in out
    assert "days mon-fri\nhours 07:30-11:30,13:00-17:00\n" in out

    out = ok(phuong("calendar", "hours", "--set", "7:00-11:00, 13:30-17:30", "--days", "mon-sat",
                    "--data", data))
    assert "Đã lưu giờ làm việc mới" in out
    assert "Giờ làm việc: Thứ 2 đến Thứ 7, 07:00-11:00 và 13:30-17:30" in out
    out = ok(phuong("calendar", "hours", "--data", data))
    assert "chưa đặt riêng" not in out
    assert out.endswith("days mon-sat\nhours 07:00-11:00,13:30-17:30\n")
    # Only the days: the hours stay.
    out = ok(phuong("calendar", "hours", "--days", "mon-fri", "--data", data))
    assert out.endswith("days mon-fri\nhours 07:00-11:00,13:30-17:30\n")

    # The unit's hours are the appointments' hours.
    r = phuong("calendar", "due", "--from", "2026-03-09 10:00", "--working-days", "1",
               "--data", data)
    assert ok(r).strip().endswith("due 2026-03-10T17:30:00+07:00")
    r = phuong("calendar", "due", "--from", "2026-03-09 10:30", "--working-hours", "1",
               "--data", data)
    # Half an hour before the 11:00 lunch break, half an hour after 13:30.
    assert ok(r).strip().endswith("due 2026-03-09T14:00:00+07:00")

    # Bad values change nothing.
    for args in (("--set", "13:00-17:00,07:30-11:30"), ("--set", "07:30-11:30"),
                 ("--days", "fri-mon"), ("--days", "thu-hai"), ("--unit", "khong-co")):
        r = phuong("calendar", "hours", *args, "--data", data)
        assert r.returncode == 2 and r.stderr.strip(), args
    out = ok(phuong("calendar", "hours", "--data", data))
    assert out.endswith("days mon-fri\nhours 07:00-11:00,13:30-17:30\n")

    db = Db(database_url(data))
    assert {r["name"]: r["value"] for r in db.rows(
        "SELECT name, value FROM setting WHERE unit_id = 1")} == {
        "worktime.days": "mon-fri", "worktime.hours": "07:00-11:00,13:30-17:30"}
    assert db.value("SELECT count(*) FROM audit_log WHERE action = 'calendar.hours'") == "2"
    ok(phuong("audit", "verify", "--data", data))


def test_options_belong_to_their_subcommand(data):
    for args in (("lunar", "2026-02-17", "--data", data),
                 ("import", HOLIDAYS, "--schedule", HOLIDAYS, "--data", data),
                 ("hours", "--year", "2026", "--data", data),
                 ("show", "2026-02", "--force")):
        r = phuong("calendar", *args)
        assert r.returncode == 2 and "không dùng ở đây" in r.stderr, args
    r = phuong("calendar", "import", "--data", data)
    assert r.returncode == 2 and "usage" in r.stderr
