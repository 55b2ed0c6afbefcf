"""Candidate CSV files from outside: one encoding per file (mixed or undecodable files are
rejected naming the line, never stored garbled), no spreadsheet formulas out (export) or in
(import), and limits on size, rows and cell lengths. Through import_csv / export_csv on a
real SQLite file, the admin upload through the real Dispatcher, and the CLI."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from aiogram.methods import SendMessage

from bot.candidates import importing
from bot.candidates.importing import MAX_NAME, MAX_ROWS, MAX_SOURCE, export_csv, import_csv
from bot.content.reference import load_reference_data
from bot.db import open_database
from tests.conftest import OWNER
from tests.test_candidates import ELECTION, GOOD, HEADER, ROOT, snapshot

ROW = f"{ELECTION},Астана,,Ким Ли,1980,self,,https://example.test/list"
CP1251_ROW = f"{ELECTION};Жамбылская область;;Петрова Анна Сергеевна;1970;самовыдвижение;;ЦИК"
# cp1251 rows, one of them with 0x98 (the one byte cp1251 leaves undefined) in the source
UNDEFINED_0X98 = (
    HEADER.replace(",", ";") + "\n" + CP1251_ROW + "\n" + CP1251_ROW.replace("Петрова", "Сидорова")
).encode("cp1251").replace(b"\xd6\xc8\xca", b"\xd6\xc8\xca \x98") + b"\n"


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "c.db")
    load_reference_data(database)
    yield database
    database.close()


def rejections(report) -> list[tuple[int, str, str]]:
    return [(r.row, r.column, r.reason) for r in report.rejected]


# 1. One encoding per file


def test_utf8_file_with_one_cp1251_row_is_rejected_naming_the_line(db) -> None:
    utf8 = (
        f"{HEADER}\n{ELECTION},Abai Region,,Сейітова Айгүл,1980,self,,src\n"
        f"{ELECTION},Astana,,Ким Ли,1981,self,,src\n"
    )
    cp1251 = f"{ELECTION},Abai Region,,Петрова Анна,1970,self,,src\n"
    data = (
        utf8.encode("utf-8")
        + cp1251.encode("cp1251")
        + f"{ELECTION},Astana,,Пак Ли,1982,self,,src\n".encode()
    )
    assert data.decode("cp1251")  # it all decodes as cp1251: before, stored as mojibake and "added"
    before = snapshot(db)
    report = import_csv(db, data)
    assert not report.applied and report.added == 0
    (rejection,) = report.rejected
    assert (rejection.row, rejection.column) == (4, "-")
    assert rejection.reason == (
        "line 4 is not UTF-8 text, unlike the rest of the file: save the whole file as UTF-8"
    )
    assert snapshot(db) == before


def test_bom_file_with_a_cp1251_row_is_rejected(db) -> None:
    data = b"\xef\xbb\xbf" + HEADER.encode() + b"\n" + CP1251_ROW.replace(";", ",").encode("cp1251") + b"\n"
    assert rejections(import_csv(db, data))[0][:2] == (2, "-")
    assert db["candidates"].count == 0


def test_whole_cp1251_and_whole_utf8_files_still_import(db) -> None:
    cp1251 = (HEADER.replace(",", ";") + "\n" + CP1251_ROW + "\n").encode("cp1251")
    report = import_csv(db, cp1251, dry_run=True)
    assert (report.encoding, report.added, report.rejected) == ("cp1251", 1, [])
    report = import_csv(db, b"\xef\xbb\xbf" + GOOD.encode())
    assert (report.encoding, report.added, report.rejected) == ("utf-8-sig", 3, [])


# 2. A byte undefined in cp1251


def test_undefined_cp1251_byte_is_a_clear_rejection(db) -> None:
    with pytest.raises(UnicodeDecodeError):
        UNDEFINED_0X98.decode("cp1251")
    report = import_csv(db, UNDEFINED_0X98)  # before: UnicodeDecodeError
    assert not report.applied and report.added == 0
    assert rejections(report) == [
        (2, "-", "line 2 is neither UTF-8 nor Windows-1251 text: save the file as UTF-8")
    ]
    assert db["candidates"].count == 0


def test_stray_0x98_in_a_utf8_file_names_its_line(db) -> None:
    data = GOOD.encode() + ROW.encode() + b"\x98\n"
    assert rejections(import_csv(db, data))[0][:2] == (5, "-")


async def test_admin_upload_of_0x98_file_gets_a_reply_in_russian(people, assistant) -> None:
    requests = await people(OWNER).send_document(UNDEFINED_0X98, "excel.csv")
    (report,) = [r for r in requests if isinstance(r, SendMessage)]
    assert "Строка 2, столбец -: строка 2 не является текстом ни в UTF-8, ни в Windows-1251" in report.text
    assert "Ничего не изменено" in report.text and report.reply_markup is None
    assert assistant.db.execute("SELECT count(*) FROM uploads").fetchone()[0] == 0
    assert assistant.db.execute("SELECT count(*) FROM candidates").fetchone()[0] == 0


def test_cli_import_of_0x98_file_is_a_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "cli.db"), "PYTHONPATH": str(ROOT)}
    bad = tmp_path / "excel.csv"
    bad.write_bytes(UNDEFINED_0X98)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "candidates", "import", str(bad)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "row 2, column -: line 2 is neither UTF-8 nor Windows-1251 text" in result.stdout
    assert "nothing applied" in result.stdout


# 3. Formulas


def cells_of(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_export_neutralises_formula_cells(db) -> None:
    import_csv(db, GOOD.encode())
    with db.atomic():  # values stored before the import checked them (or by other means)
        db.execute(
            "UPDATE candidates SET name_latin = ?, source = ? WHERE full_name = 'Иванов Пётр'",
            ["@Ivanov", '=HYPERLINK("http://evil.test","list")'],
        )
        db.execute("UPDATE candidates SET full_name = '-2+3' WHERE full_name = 'Сейітова Айгүл'")
        db.execute("UPDATE ballots SET constituency = '+7 округ' WHERE constituency = '№3 округ'")
    text = export_csv(db)
    cells = cells_of(text)
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], text
    for value in ("'@Ivanov", '\'=HYPERLINK("http://evil.test","list")', "'-2+3", "'+7 округ"):
        assert value in cells
    # re-imported, the export's ' comes off again and the formulas are refused, not stored
    report = import_csv(db, text.encode())
    assert sorted(r.column for r in report.rejected) == ["constituency", "full_name"], report.rejected
    assert not report.applied


def test_plain_dash_name_round_trips_through_the_neutralised_export(db) -> None:
    text = f"{HEADER}\n{ELECTION},Астана,,-Ким Ли,1980,self,,-нет данных\n"
    assert import_csv(db, (GOOD + text.split("\n", 1)[1]).encode()).added == 4
    before = snapshot(db)
    exported = export_csv(db)
    assert "'-Ким Ли" in cells_of(exported) and "'-нет данных" in cells_of(exported)
    report = import_csv(db, exported.encode())
    assert (report.added, report.updated, report.unchanged, report.rejected) == (0, 0, 4, [])
    assert snapshot(db) == before


def test_export_of_a_tab_or_cr_cell_is_neutralised(db) -> None:
    import_csv(db, GOOD.encode())
    db.execute("UPDATE candidates SET source = ? WHERE full_name = 'Иванов Пётр'", ["\tcmd"])
    db.execute("UPDATE candidates SET source = ? WHERE full_name = 'Сейітова Айгүл'", ["\r=1+1"])
    db.conn.commit()
    text = export_csv(db)
    assert "'\tcmd" in text and "'\r=1+1" in text


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("full_name", '=HYPERLINK("http://evil.test","x")'),
        ("full_name", "-"),
        ("full_name", "-2+3"),
        ("full_name", "- Иванов"),
        ("full_name", "+Иванов"),
        ("full_name", "@SUM(A1)"),
        ("full_name", "'=1+1"),  # a quote as export writes it: taken off, then refused
        ("name_latin", "-cmd|' /C calc'!A0"),
        ("constituency", "=1+1"),
        ("source", "@https://example.test"),
        ("source", "-A1"),
        ("party", "=Аманат"),
        ("party", "'\tАманат"),
    ],
)
def test_formula_cells_are_rejected_naming_the_column(db, column: str, value: str) -> None:
    cells = {
        "election_id": ELECTION,
        "area": "Астана",
        "constituency": "",
        "full_name": "Ким Ли",
        "name_latin": "",
        "birth_year": "1980",
        "party": "self",
        "source": "src",
        column: value,
    }
    header = list(cells)
    line = ",".join('"' + cells[c].replace('"', '""') + '"' for c in header)
    data = (",".join(header) + "\n" + line + "\n").encode()
    before = snapshot(db)
    report = import_csv(db, data)
    assert [(r.row, r.column) for r in report.rejected] == [(2, column)], report.rejected
    assert "formula" in report.rejected[0].reason
    assert not report.applied and snapshot(db) == before


def test_plain_dash_names_and_dash_party_are_accepted(db) -> None:
    text = (
        f"{HEADER}\n{ELECTION},Астана,,-Ким Ли,1980,-,,src\n"
        f"{ELECTION},Астана,,Пак О-Сон,1981,self,,'-нет данных\n"
    )
    report = import_csv(db, text.encode())
    assert (report.added, report.rejected) == (2, [])
    assert db.execute("SELECT party_id FROM candidates WHERE full_name = '-Ким Ли'").fetchone() == (None,)
    assert db.execute("SELECT source FROM candidates WHERE full_name = 'Пак О-Сон'").fetchone() == (
        "-нет данных",
    )


def test_a_formula_row_among_good_rows_applies_nothing(db) -> None:
    report = import_csv(db, (GOOD + f"{ELECTION},Астана,,=1+1,1980,self,,src\n").encode())
    assert [(r.row, r.column) for r in report.rejected] == [(5, "full_name")]
    assert db["candidates"].count == 0


# 4. Limits


@pytest.mark.parametrize(
    ("column", "limit"),
    [("source", MAX_SOURCE), ("full_name", MAX_NAME), ("name_latin", 2 * MAX_NAME), ("constituency", 200)],
)
def test_cell_length_limits_at_the_boundary(db, column: str, limit: int) -> None:
    def row(length: int, year: int) -> str:
        cells = {"constituency": "", "full_name": "Ким Ли", "name_latin": "", "source": "src"}
        cells[column] = "я" * length
        return (
            f"{ELECTION},Астана,{cells['constituency']},{cells['full_name']},{cells['name_latin']},"
            f"{year},self,{cells['source']}"
        )

    header = "election_id,area,constituency,full_name,name_latin,birth_year,party,source"
    at_limit = import_csv(db, f"{header}\n{row(limit, 1980)}\n".encode(), dry_run=True)
    assert (at_limit.added, at_limit.rejected) == (1, [])
    over = import_csv(db, f"{header}\n{row(limit + 1, 1980)}\n".encode())
    assert rejections(over) == [(2, column, f"longer than {limit} characters")]
    assert db["candidates"].count == 0


def test_a_5000_character_source_is_rejected(db) -> None:
    report = import_csv(db, f"{HEADER}\n{ELECTION},Астана,,Ким Ли,1980,self,,{'x' * 5000}\n".encode())
    assert rejections(report) == [(2, "source", "longer than 300 characters")]


def test_longest_name_gives_a_latin_form_within_its_limit(db) -> None:
    name = "Щёщ" * (MAX_NAME // 3)  # every letter two in Latin: "Şşioşş…", 300 characters
    report = import_csv(db, f"{HEADER}\n{ELECTION},Астана,,{name},1980,self,,src\n".encode())
    assert (report.added, report.rejected) == (1, [])
    assert import_csv(db, export_csv(db).encode()).unchanged == 1  # its Latin form re-imports


def test_rejected_values_are_cut_in_the_report(db) -> None:
    report = import_csv(db, f"{HEADER}\n{ELECTION},{'Марс' * 2000},,Ким Ли,1980,self,,src\n".encode())
    (rejection,) = report.rejected
    assert rejection.column == "area" and len(rejection.reason) < 120 and rejection.reason.endswith("…”")


def test_file_size_limit_at_the_boundary(db) -> None:
    body = (HEADER + "\n").encode()
    rows = (ROW + "\n").encode() * ((importing.MAX_BYTES - len(body)) // (len(ROW.encode()) + 1))
    at_limit = body + rows
    at_limit += b" " * (importing.MAX_BYTES - len(at_limit))
    assert len(at_limit) == 5 * 1024 * 1024
    report = import_csv(db, at_limit, dry_run=True)  # read, then refused for its rows, not its size
    assert rejections(report) == [(MAX_ROWS + 2, "-", f"more than {MAX_ROWS} rows: split the file")]
    assert rejections(import_csv(db, at_limit + b"\n")) == [(1, "-", "the file is larger than 5 MB")]
    assert db["candidates"].count == 0


def test_row_limit(db, monkeypatch) -> None:
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    assert import_csv(db, GOOD.encode(), dry_run=True).added == 3  # exactly at the limit
    report = import_csv(db, (GOOD + ROW + "\n").encode())
    assert rejections(report) == [(5, "-", "more than 3 rows: split the file")]
    assert db["candidates"].count == 0
    assert MAX_ROWS >= 20_000  # a national list fits
