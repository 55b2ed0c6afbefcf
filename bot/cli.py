"""Command line: ``python -m bot [run | ask | content]``.

* ``python -m bot`` runs the bot on Telegram when ``BOT_TOKEN`` is set (polling, or a
  webhook when ``WEBHOOK_URL`` is set), otherwise a local console chat.
* ``python -m bot ask [--lang kk|ru|id] [--ui kk|ru|id] [--json] TEXT|-`` answers from the
  command line, through the same conversation core as Telegram.
* ``python -m bot content check|reload`` validates the seed files / loads them into SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings, load_settings
from bot.i18n import compile_catalogs
from bot.languages import LANGS

if TYPE_CHECKING:
    from bot.conversation.assistant import Assistant


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Saylau election bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (Telegram with BOT_TOKEN, else a local console)")
    ask = sub.add_parser("ask", help="answer questions from the command line")
    ask.add_argument("--lang", choices=LANGS, help="answer in this language (default: the question's)")
    ask.add_argument(
        "--ui", choices=LANGS, help="the user's interface language, for texts that show none (names, places)"
    )
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.add_argument("text", nargs="+", help="the question, or - to read one per line from stdin")
    cand = sub.add_parser("candidates", help="the candidate database")
    csub = cand.add_subparsers(dest="action", required=True)
    imp = csub.add_parser("import", help="import a candidate CSV (UTF-8 with or without BOM, or cp1251)")
    imp.add_argument("file", help="CSV file (columns: see content/candidates_template.csv)")
    imp.add_argument("--election", help="election ID for rows without an election_id column")
    imp.add_argument("--dry-run", action="store_true", help="validate and report, change nothing")
    exp = csub.add_parser("export", help="export candidates as CSV in the import format")
    exp.add_argument("file", nargs="?", help="output file (default: standard output)")
    exp.add_argument("--include-sample", action="store_true", help="also export generated sample rows")
    search = csub.add_parser("search", help="find candidates by name in any script")
    search.add_argument("query", nargs="+")
    search.add_argument("--json", action="store_true", help="one JSON object per line")
    demo = csub.add_parser("demo", help="load generated SAMPLE candidates (clearly labelled as such)")
    demo.add_argument("--count", type=int, default=300)
    demo.add_argument("--remove", action="store_true", help="delete every sample candidate instead")
    content = sub.add_parser("content", help="FAQ content")
    content.add_argument("action", choices=("check", "reload"), help="validate files / load into SQLite")
    return parser


def _open(settings: Settings) -> Assistant:
    """The assistant over the configured database (imports kept lazy for a fast CLI)."""
    from bot.conversation.assistant import Assistant
    from bot.db import open_database, startup_lock

    with startup_lock(settings.database_path):  # several workers may start at once
        return Assistant(open_database(settings.database_path))


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    """Answer each question through the conversation core; print text or JSON lines."""
    from bot.abroad.missions import MissionDirectory
    from bot.candidates.directory import CandidateDirectory
    from bot.conversation.core import Knowledge, respond
    from bot.conversation.render import reply_plain

    assistant = _open(settings)
    knowledge = Knowledge(assistant, CandidateDirectory(assistant.db), MissionDirectory(assistant.db))
    texts = args.text
    questions = [line.rstrip("\n") for line in sys.stdin] if texts == ["-"] else [" ".join(texts)]
    for question in questions:
        if not question.strip():
            continue
        reply = respond(question, args.ui, knowledge, reply_lang=args.lang)
        answer = reply_plain(assistant, reply)
        if args.json:
            record = {
                "query": question,
                "lang": reply.detected,
                "reply_lang": reply.lang,
                "kind": reply.kind,
                "id": reply.topic,
                "score": round(reply.score, 4),
                "suggestions": list(reply.suggestions),
                "answer": answer,
            }
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            titles = [assistant.entries[t].titles[reply.lang] for t in reply.suggestions]
            print("\n".join([answer, *(f"  • {title}" for title in titles)]) + "\n", flush=True)
    return 0


def cmd_content(settings: Settings, args: argparse.Namespace) -> int:
    """Validate the seed files, or load them into the database."""
    from bot.faq.entries import load_faq_files

    entries = load_faq_files()
    if args.action == "check":
        published = sum(e.published for e in entries)
        drafts = len(entries) - published
        print(f"content OK: {len(entries)} FAQ entries ({published} published, {drafts} drafts)")
        return 0
    count = _open(settings).reload()
    print(f"reloaded {count} FAQ entries into {settings.database_path}")
    return 0


def cmd_candidates(settings: Settings, args: argparse.Namespace) -> int:
    """Import, export, search or load demo candidates."""
    from bot.candidates.directory import CandidateDirectory
    from bot.candidates.importing import MAX_BYTES, export_csv, import_csv
    from bot.candidates.sample_data import load_demo, remove_demo

    db = _open(settings).db
    if args.action == "import":
        with open(args.file, "rb") as f:
            data = f.read(MAX_BYTES + 1)  # one byte more is enough to refuse a bigger file
        report = import_csv(db, data, election=args.election, dry_run=args.dry_run)
        print(f"{args.file} ({report.encoding}): {report.summary()}")
        for r in report.rejected:
            print(f"  row {r.row}, column {r.column}: {r.reason}")
        return 1 if report.rejected else 0
    if args.action == "export":
        text = export_csv(db, include_sample=args.include_sample)
        counts = "SELECT count(*) - sum(is_sample), sum(is_sample) FROM candidates"
        real, sample = db.execute(counts).fetchone()
        if not real and sample and not args.include_sample:
            print(
                f"Only sample candidates are in the database ({sample}): the export has the header only. "
                "Add --include-sample to export them (they stay marked as sample data).",
                file=sys.stderr,
            )
        if args.file:
            with open(args.file, "w", encoding="utf-8-sig", newline="") as f:
                f.write(text)
        else:
            sys.stdout.write(text)
        return 0
    if args.action == "demo":
        if args.remove:
            print(f"sample data: {remove_demo(db, note='saylau candidates demo --remove').summary()}")
        else:
            print(f"sample data: {load_demo(db, args.count).summary()}")
        return 0
    directory = CandidateDirectory(db)
    found = directory.search_names(" ".join(args.query))
    if not found:
        print(f"No candidate matches {' '.join(args.query)!r}.", file=sys.stderr)
        return 1
    for candidate, score in found:
        if args.json:
            record = {**vars(candidate), "score": round(score, 4)}
            print(json.dumps(record, ensure_ascii=False))
        else:
            label = " [SAMPLE DATA]" if candidate.is_sample else ""
            party = candidate.party_id or "self-nominated"
            print(f"{candidate.full_name} ({candidate.birth_year}), {party}, {candidate.election_id}{label}")
    return 0


def cmd_run(settings: Settings) -> int:
    """Run on Telegram, or the local console without a token."""
    from bot.telegram.app import create_bot, create_dispatcher, run_polling, run_webhook, warm_up

    assistant = _open(settings)
    if settings.bot_token is None:
        from bot.telegram.console import run_console

        if settings.log_level != "DEBUG":  # keep the chat readable: no per-update log lines
            logging.getLogger("aiogram.event").setLevel(logging.WARNING)
        asyncio.run(run_console(assistant, settings))
        return 0
    bot = create_bot(settings)
    dp = create_dispatcher(assistant, settings)
    warm_up(dp)
    if settings.webhook_url:
        asyncio.run(run_webhook(bot, dp, settings))
    else:
        asyncio.run(run_polling(bot, dp))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from bot.faq.entries import ContentError

    try:
        compile_catalogs()
        if args.command == "ask":
            return cmd_ask(settings, args)
        if args.command == "content":
            return cmd_content(settings, args)
        if args.command == "candidates":
            return cmd_candidates(settings, args)
        return cmd_run(settings)
    except ContentError as exc:
        print(f"Content error: {exc}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # the reader went away (`| head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    except (sqlite3.Error, OSError) as exc:
        print(f"Database error: DATABASE_PATH={settings.database_path}: {exc}", file=sys.stderr)
        return 4
    except KeyboardInterrupt:
        return 130
