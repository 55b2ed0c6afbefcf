"""Content: every catalogue topic in all three languages with a source; validation; storage."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from babel.dates import get_month_names

from bot.conversation.assistant import Assistant
from bot.db import open_database
from bot.faq.entries import FAQ_DIR, ContentError, load_faq_files, load_out_of_scope, read_faq, reload_faq
from bot.faq.menu import SECTIONS
from bot.faq.topics import CATALOGUE
from bot.i18n import N_, gettext
from bot.languages import LANGS
from bot.text.formatting import format_day

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT.parent / "shared" / "CONTENT.md"


def test_catalogue_matches_the_content_spec() -> None:
    if not SPEC.exists():
        pytest.skip("shared/CONTENT.md is not beside this checkout")
    table = SPEC.read_text(encoding="utf-8").split("## Facts")[0]
    ids = [i for i in re.findall(r"^\| ([a-z0-9-]+) \|", table, flags=re.M) if i != "id"]  # not the header
    assert tuple(ids) == CATALOGUE


def test_every_topic_published_in_every_language_with_a_source() -> None:
    entries = {e.topic: e for e in load_faq_files()}
    for topic in CATALOGUE:
        entry = entries.get(topic)
        assert entry is not None, f"no FAQ entry for {topic}"
        assert entry.published, f"{topic} is a draft"
        assert entry.sources and all(s.strip() for s in entry.sources), topic
        for lang in LANGS:
            assert entry.titles[lang].strip(), (topic, lang)
            assert entry.answers[lang].strip(), (topic, lang)
            assert len(entry.questions[lang]) >= 5, (topic, lang, "needs several phrasings")


def test_every_catalogue_topic_is_in_a_menu_section() -> None:
    listed = [t for topics in SECTIONS.values() for t in topics]
    assert sorted(listed) == sorted(CATALOGUE)


def test_answers_are_plain_text_and_short() -> None:
    for entry in load_faq_files():
        for lang in LANGS:
            answer = entry.answers[lang]
            assert not re.search(r"</?[a-z]+>", answer), (entry.topic, lang, "no HTML in content")
            assert len(answer) <= 1500


KURULTAI_ELECTION_SOURCE = "https://timesca.com/?p=51256"  # the President set 23 August 2026 on 1 July


def test_unverified_facts_only_in_drafts() -> None:
    """CONTENT.md's UNVERIFIED items must not be served as fact, and the Kurultai election's
    day only with the page that reports it."""
    for entry in load_faq_files():
        if not entry.published:
            continue
        for lang in LANGS:
            text = entry.answers[lang]
            assert "252 0252" not in text and "2520252" not in text, (entry.topic, "unverified phone")
            if re.search(r"23[ .](August|августа|тамыз|Agustus)", text):  # the Kurultai election day
                assert KURULTAI_ELECTION_SOURCE in entry.sources, (entry.topic, "date without its source")


def _write(directory: Path, name: str, data: object) -> None:
    (directory / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def faq_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content" / "faq"
    shutil.copytree(FAQ_DIR, target)
    return target


def _good(faq_copy: Path) -> dict:
    return yaml.safe_load((faq_copy / "voting-hours.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["answer"].pop("id"), "answer.id"),
        (lambda d: d["questions"].pop("kk"), "questions.kk"),
        (lambda d: d.update(sources=[]), "sources"),
        (lambda d: d.pop("sources"), "sources"),
        (lambda d: d.update(as_of="yesterday"), "as_of"),
        (lambda d: d.update(status="live"), "status"),
        (lambda d: d["answer"].update(ru="  "), "answer.ru"),
        (lambda d: d["answer"].update(kk="ә" * 1501), "answer.kk"),
        (lambda d: d["questions"].update(id=[]), "questions.id"),
        (lambda d: d["title"].update(ru=None), "title.ru"),
        (lambda d: d.update(topic="other-name"), "topic"),
    ],
)
def test_validation_names_file_entry_and_field(faq_copy: Path, change, field: str) -> None:
    data = _good(faq_copy)
    change(data)
    _write(faq_copy, "voting-hours.yaml", data)
    with pytest.raises(ContentError) as error:
        load_faq_files(faq_copy)
    message = str(error.value)
    assert "voting-hours.yaml" in message
    assert f"field {field!r}" in message
    assert "entry 'voting-hours'" in message or "entry 'other-name'" in message


def test_problem_is_a_template_english_for_logs_translated_for_admins() -> None:
    error = ContentError(
        "faq.yaml", "x", "answer.kk", N_("is {length} characters, at most {limit}"), length=9, limit=5
    )
    assert str(error) == "faq.yaml: entry 'x': field 'answer.kk': is 9 characters, at most 5"
    assert error.problem_text == "is 9 characters, at most 5"
    assert error.translated(lambda m: gettext(m, "ru")) == "9 символов, допустимо не больше 5"
    assert ContentError("f", "e", "x", N_("missing")).translated(lambda m: gettext(m, "id")) == "tidak ada"


def test_malformed_yaml_is_named(faq_copy: Path) -> None:
    (faq_copy / "voting-hours.yaml").write_text("topic: [unclosed\n  - x: :", encoding="utf-8")
    with pytest.raises(ContentError, match=r"voting-hours\.yaml.*not valid YAML"):
        load_faq_files(faq_copy)


def test_seeded_once_then_reloaded_on_demand(tmp_path: Path, faq_copy: Path) -> None:
    db = open_database(tmp_path / "x.db")
    assistant = Assistant(db, faq_copy)
    count = len(assistant.entries) + len(assistant.drafts)
    assert count == len(load_faq_files(faq_copy))
    # the database is the source of truth: a changed file is not picked up until reload
    data = _good(faq_copy)
    data["answer"]["ru"] = "Новый ответ."
    _write(faq_copy, "voting-hours.yaml", data)
    assert Assistant(db, faq_copy).entry("voting-hours").answers["ru"] != "Новый ответ."
    assistant.reload()
    assert assistant.entry("voting-hours").answers["ru"] == "Новый ответ."


def test_bad_reload_keeps_old_data(tmp_path: Path, faq_copy: Path) -> None:
    db = open_database(tmp_path / "x.db")
    Assistant(db, faq_copy)
    before = read_faq(db)
    data = _good(faq_copy)
    data["answer"].pop("kk")
    _write(faq_copy, "voting-hours.yaml", data)
    with pytest.raises(ContentError):
        reload_faq(db, faq_copy)
    assert read_faq(db) == before


def test_crash_during_store_keeps_old_data(tmp_path: Path, faq_copy: Path, monkeypatch) -> None:
    db = open_database(tmp_path / "x.db")
    Assistant(db, faq_copy)
    before = read_faq(db)
    import bot.faq.entries as content

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(content, "set_meta", crash)  # the last step of the transaction
    with pytest.raises(OSError):
        reload_faq(db, faq_copy)
    assert read_faq(db) == before


def test_drafts_are_never_answered(tmp_path: Path, faq_copy: Path) -> None:
    data = _good(faq_copy)
    data["status"] = "draft"
    _write(faq_copy, "voting-hours.yaml", data)
    assistant = Assistant(open_database(tmp_path / "x.db"), faq_copy)
    assert assistant.entry("voting-hours") is None
    for lang in LANGS:
        for question in data["questions"][lang]:
            reply = assistant.ask(question, record=False)
            assert reply.topic != "voting-hours"
            assert "voting-hours" not in reply.suggestions


def test_out_of_scope_examples_load_in_every_language() -> None:
    examples = load_out_of_scope()
    assert all(len(examples[lang]) >= 10 for lang in LANGS)


def test_out_of_scope_file_errors_are_named(tmp_path: Path) -> None:
    path = tmp_path / "out_of_scope.yaml"
    path.write_text("questions:\n  kk: [a]\n  ru: [b]\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"out_of_scope\.yaml.*questions\.id"):
        load_out_of_scope(path)


def test_dates_in_answers_have_the_bot_s_style() -> None:
    """Dates written in answers look like the ones the bot formats (calendar, cards, /privacy):
    kk "2023 жылғы 19 наурыз(да)", ru "19 марта 2023 г.", id "19 Maret 2023"; never numeric."""
    months = {lang: "|".join(get_month_names("wide", "format", lang).values()) for lang in LANGS}
    wrong = {
        "kk": re.compile(rf"\d{{1,2}} ({months['kk']})\w* \d{{4}}"),  # day first is the old style
        "ru": re.compile(rf"\d{{1,2}} ({months['ru']}) \d{{4}}(?! г\.)"),
        "id": re.compile(rf"({months['id']}) \d{{1,2}},? \d{{4}}"),  # English order
    }
    numeric = re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{4}\b")
    for lang in LANGS:  # the pattern a formatted date would not trip
        assert not wrong[lang].search(format_day(date(2023, 3, 19), lang).replace("\u202f", " "))
    for entry in load_faq_files():
        for lang in LANGS:
            text = entry.answers[lang]
            assert not wrong[lang].search(text), (entry.topic, lang, wrong[lang].search(text))
            assert not numeric.search(text), (entry.topic, lang)
