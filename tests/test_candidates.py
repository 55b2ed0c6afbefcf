"""Candidate database: import (good and bad files), export, search in any script, statistics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.candidates.directory import CandidateDirectory
from bot.candidates.importing import COLUMNS, export_csv, import_csv
from bot.candidates.sample_data import DEMO_ELECTION, load_demo
from bot.content.reference import load_reference_data
from bot.db import open_database
from bot.languages import LANGS
from bot.text.collation import collated

ROOT = Path(__file__).resolve().parent.parent
ELECTION = "2023-03-19-maslikhats"
HEADER = "election_id,area,constituency,full_name,birth_year,party,status,source"
GOOD = f"""{HEADER}
{ELECTION},Жетісу облысы,№1 округ,Тоқаев Қасым-Жомарт Кемелұлы,1953,self,registered,https://example.test/list
{ELECTION},Abai Region,№2 округ,Сейітова Айгүл,1980,Аманат,registered,https://example.test/list
{ELECTION},Алматы,№3 округ,Иванов Пётр,1975,Ақ жол,elected,https://example.test/list
"""


@pytest.fixture
def db(tmp_path: Path):
    database = open_database(tmp_path / "c.db")
    load_reference_data(database)
    yield database
    database.close()


def snapshot(db) -> list:
    return (
        db.execute("SELECT * FROM candidates ORDER BY id").fetchall()
        + db.execute("SELECT * FROM ballots ORDER BY id").fetchall()
    )


def test_good_file_then_reimport_changes_nothing(db) -> None:
    report = import_csv(db, GOOD.encode())
    assert (report.added, report.updated, report.unchanged, report.rejected) == (3, 0, 0, [])
    assert report.applied
    before = snapshot(db)
    again = import_csv(db, GOOD.encode())
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert snapshot(db) == before


def test_update_is_reported(db) -> None:
    import_csv(db, GOOD.encode())
    changed = GOOD.replace("Иванов Пётр,1975,Ақ жол,elected", "Иванов Пётр,1975,Ақ жол,withdrawn")
    report = import_csv(db, changed.encode())
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    assert (
        db.execute("SELECT status FROM candidates WHERE full_name = 'Иванов Пётр'").fetchone()[0]
        == "withdrawn"
    )


@pytest.mark.parametrize(
    ("encode", "expected"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.replace(",", ";").encode("utf-8"), "utf-8"),
    ],
)
def test_encodings_and_delimiters(db, encode, expected: str) -> None:
    report = import_csv(db, encode(GOOD))
    assert report.encoding == expected
    assert report.added == 3 and not report.rejected


def test_cp1251_from_excel(db) -> None:
    text = (
        f"{HEADER}\n{ELECTION};Жамбылская область;;Петрова Анна Сергеевна;1970;самовыдвижение;;ЦИК\n".replace(
            ",", ";"
        )
    )
    report = import_csv(db, text.encode("cp1251"))
    assert report.encoding == "cp1251"
    assert report.added == 1, report.rejected
    row = db.execute("SELECT full_name, party_id FROM candidates").fetchone()
    assert row == ("Петрова Анна Сергеевна", None)


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        (f"{ELECTION},Марс,,Ким Ли,1980,self,,src", "area", "unknown area"),
        (f"{ELECTION},Астана,,Ким Ли,1980,Партия Луны,,src", "party", "unknown party"),
        (f"{ELECTION},Астана,,Ким Ли,19x0,self,,src", "birth_year", "bad year"),
        (f"{ELECTION},Астана,,Ким Ли,2020,self,,src", "birth_year", "bad year"),
        (f"{ELECTION},Астана,,,1980,self,,src", "full_name", "missing value"),
        (f"{ELECTION},Астана,,Ким Ли,1980,self,winner,src", "status", "must be one of"),
        (f"{ELECTION},Астана,,Ким Ли,1980,self,,", "source", "missing value"),
        ("no-such-election,Астана,,Ким Ли,1980,self,,src", "election_id", "unknown election"),
        (
            f"{ELECTION},Жетісу облысы,№1 округ,ТОҚАЕВ  Қасым-Жомарт Кемелұлы,1953,self,,src",
            "full_name",
            "duplicate of row 2",
        ),
    ],
)
def test_bad_rows_are_named_and_nothing_is_applied(db, line: str, column: str, reason: str) -> None:
    before = snapshot(db)
    report = import_csv(db, (GOOD + line + "\n").encode())
    assert not report.applied
    assert len(report.rejected) == 1
    rejection = report.rejected[0]
    assert (rejection.row, rejection.column) == (5, column)
    assert reason in rejection.reason
    assert snapshot(db) == before  # a file with errors applies nothing


def test_missing_column(db) -> None:
    report = import_csv(db, b"election_id,area,full_name\nx,y,z\n")
    assert [(r.row, r.column, r.reason) for r in report.rejected] == [
        (1, "birth_year", "missing column"),
        (1, "source", "missing column"),
    ]


def test_election_option_fills_missing_column(db) -> None:
    text = "area,full_name,birth_year,source\nАстана,Ким Ли,1980,src\n"
    assert import_csv(db, text.encode()).rejected[0].column == "election_id"
    assert import_csv(db, text.encode(), election=ELECTION).added == 1


def test_dry_run_applies_nothing(db) -> None:
    report = import_csv(db, GOOD.encode(), dry_run=True)
    assert report.added == 3 and not report.applied
    assert db["candidates"].count == 0


def test_crash_mid_import_keeps_old_data(db, monkeypatch) -> None:
    import_csv(db, GOOD.encode())
    before = snapshot(db)
    bigger = GOOD + f"{ELECTION},Астана,,Ким Ли,1980,self,,src\n"
    table_class = type(db["candidates"])
    original = table_class.insert_all

    def crash(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if self.name == "candidates":  # the rows are written, then the process "dies"
            raise OSError("power cut")
        return result

    monkeypatch.setattr(table_class, "insert_all", crash)
    with pytest.raises(OSError):
        import_csv(db, bigger.encode())
    assert snapshot(db) == before


def test_export_round_trip(db) -> None:
    import_csv(db, GOOD.encode())
    text = export_csv(db)
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert len(text.splitlines()) == 4
    report = import_csv(db, text.encode())
    assert (report.added, report.updated, report.unchanged) == (0, 0, 3)


def test_name_search_in_any_script(db) -> None:
    import_csv(db, GOOD.encode())
    load_demo(db, 200)
    directory = CandidateDirectory(db)
    for query in ("Тоқаев", "Токаев", "Tokayev", "Toqaev", "токаев", "Токаевв", "Tokaev Kasym"):
        hits = directory.search_names(query)
        assert hits and hits[0][0].full_name == "Тоқаев Қасым-Жомарт Кемелұлы", query
    assert directory.search_names("Zzyzx Qwerty") == []


def test_area_and_party_in_questions(db) -> None:
    directory = CandidateDirectory(db)
    assert directory.find_area("кандидаты в Жетысу") == "jetisu"
    assert directory.find_area("calon di Almaty") == "almaty-city"
    assert directory.find_area("Алматы облысының кандидаттары") == "almaty-region"
    assert directory.find_area("Шығыс Қазақстан кандидаттары") == "east-kazakhstan"
    assert directory.find_area("когда выборы") is None
    assert directory.find_party("кандидаты партии Аманат") == "amanat"
    assert directory.find_party("Ақ жол кандидаттары") == "aq-jol"
    assert directory.mentions_candidates("calon di Almaty")
    assert directory.mentions_candidates("Алматы облысының кандидаттары")
    assert not directory.mentions_candidates("когда выборы")


def test_lists_are_alphabetical(db) -> None:
    load_demo(db, 120)
    directory = CandidateDirectory(db)
    (election,) = directory.elections_with_candidates()
    assert election["id"] == DEMO_ELECTION and election["is_sample"] == 1
    for lang in LANGS:
        area = directory.areas_of(DEMO_ELECTION, lang)[0]
        ballot = directory.ballots_of(DEMO_ELECTION, area, lang)[0]
        page, total = directory.candidates_on(ballot["rowid"], lang, limit=100)
        names = [c.full_name for c in page]
        assert names == collated(names, lang) and total == len(page) > 1
        assert all(c.is_sample for c in page)


def test_equally_good_name_matches_are_alphabetical(db) -> None:
    rows = [
        f"{ELECTION},Алматы,№{i} округ,{name},1970,self,registered,https://example.test/list"
        for i, name in enumerate(
            ("Серікова Жанар", "Ахметова Жанар", "Жанар Мұхтарқызы", "Бекова Жанар"), start=1
        )
    ]
    import_csv(db, "\n".join([HEADER, *rows]).encode())
    hits = CandidateDirectory(db).search_names("Жанар")
    assert [c.full_name for c, _ in hits] == [
        "Ахметова Жанар",
        "Бекова Жанар",
        "Жанар Мұхтарқызы",
        "Серікова Жанар",
    ]
    assert len({score for _, score in hits}) == 1


def test_statistics_from_rows_and_aggregates(db) -> None:
    import_csv(db, GOOD.encode())
    directory = CandidateDirectory(db)
    stats = directory.stats(ELECTION)
    assert (stats.candidates, stats.party_nominated, stats.self_nominated, stats.from_rows) == (3, 2, 1, True)
    rural = directory.stats("2021-07-25-rural-akims")
    assert (rural.candidates, rural.seats, rural.party_nominated, rural.self_nominated) == (
        2297,
        730,
        878,
        1419,
    )
    assert not rural.from_rows
    assert round(rural.per_seat, 2) == 3.15


def test_cli_import_report_and_search(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_PATH": str(tmp_path / "cli.db"), "PYTHONPATH": str(ROOT)}
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + f"{ELECTION},Марс,,Ким Ли,1980,self,,src\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "candidates", "import", str(bad)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "row 5, column area: unknown area “Марс”" in result.stdout
    assert "nothing applied" in result.stdout
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "bot", "candidates", "import", str(good)], cwd=tmp_path, env=env, check=True
    )
    found = subprocess.run(
        [sys.executable, "-m", "bot", "candidates", "search", "--json", "Tokayev"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    first = json.loads(found.stdout.splitlines()[0])
    assert first["full_name"] == "Тоқаев Қасым-Жомарт Кемелұлы" and first["is_sample"] is False


def test_faq_questions_are_not_taken_for_candidate_searches(tmp_path: Path) -> None:
    """With thousands of names loaded, the labelled FAQ questions still go to the FAQ."""
    from bot.candidates.directory import route_text
    from bot.conversation.assistant import Assistant
    from bot.faq.evaluation import read_labelled

    database = open_database(tmp_path / "route.db")
    assistant = Assistant(database)
    load_demo(database, 3000, districts_per_region=5)
    import_csv(database, GOOD.encode())
    import_csv(database, f"{HEADER}\n{ELECTION},Астана,,Акимов Серік,1970,self,,src\n".encode())
    directory = CandidateDirectory(database)
    items = read_labelled(ROOT / "tests" / "data" / "labelled_questions.csv")
    routed = [
        item.text
        for item in items
        if route_text(directory, item.text, assistant.ask(item.text, record=False).kind == "answer")
    ]
    assert len(routed) <= len(items) // 100, routed
    assert route_text(directory, "аким") is None  # not the surname Акимов
    assert route_text(directory, "Ауыл әкімдігіне кім кандидат бола алады?") is None  # village, not the party
    assert route_text(directory, "кандидаты партии Ауыл").kind == "party"
    assert route_text(directory, "Акимов").kind == "names"
    assert route_text(directory, "кандидаты в Жетысу").kind == "area"


def test_template_and_docs_match_the_importer() -> None:
    template = (ROOT / "content" / "candidates_template.csv").read_text(encoding="utf-8").strip()
    assert tuple(template.split(",")) == COLUMNS
    docs = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"| `{column}` |" in docs, column
