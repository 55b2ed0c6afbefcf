"""Admins review and publish FAQ changes: /faq, /faq_show, /faq_preview (Publish / Discard),
/faq_history (revert), /undo, /faq_delete, /faq_export and YAML uploads that create drafts.

Drafts are never served to voters; publishing, undo and revert refresh the matcher at once.
"""

from __future__ import annotations

import io
from html import escape
from typing import cast

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.conversation.assistant import Assistant
from bot.conversation.render import topic_answer
from bot.faq import documents as docs
from bot.faq import editing as faq
from bot.faq.documents import EditRefused
from bot.faq.editing import Version
from bot.faq.entries import ContentError, FaqEntry, read_faq
from bot.faq.yaml_file import MAX_BYTES, export_yaml, parse_upload
from bot.languages import LANGS, NATIVE_NAMES, Lang
from handlers.admin.args import key_values
from handlers.admin.uploads import check_off_loop
from handlers.buttons import Keyboard
from handlers.callbacks import FaqDraftCB, FaqEditCB, FaqRevertCB
from handlers.filters import on_loop
from handlers.routing import LeanRouter

MAX_MESSAGE = 4000
HISTORY_SHOWN = 15
REVERT_BUTTONS = 6
UPLOAD_BUTTONS = 20


def chat_of(event: Message | CallbackQuery) -> int:
    """The chat to answer in: the message's, or the admin's private chat."""
    message = event if isinstance(event, Message) else event.message
    return message.chat.id if message is not None else event.from_user.id  # type: ignore[union-attr]


async def send_lines(
    bot: Bot, chat_id: int, lines: list[str], reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send HTML lines (each self-contained) in as few messages as fit; buttons on the last."""
    chunks: list[str] = []
    for line in lines:
        line = line[:MAX_MESSAGE]
        if chunks and len(chunks[-1]) + len(line) + 1 <= MAX_MESSAGE:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    for index, chunk in enumerate(chunks):
        markup = reply_markup if index == len(chunks) - 1 else None
        await bot.send_message(chat_id, chunk, reply_markup=markup)


def refusal(exc: EditRefused | ContentError) -> str:
    """A refused change, in the admin's language."""
    if isinstance(exc, ContentError):
        text = _("Not published: {field}: {problem}").format(field=exc.field_name, problem=exc.translated(_))
    else:
        text = _(exc.message).format(**exc.params)
    return "⚠️ " + escape(text)


def problem_line(exc: ContentError) -> str:
    """One problem of an uploaded file, naming its place, in the admin's language."""
    return _("{file}: entry '{entry}': field '{field}': {problem}").format(
        file=exc.source, entry=exc.entry, field=exc.field_name, problem=exc.translated(_)
    )


async def refuse(query: CallbackQuery, bot: Bot, exc: EditRefused | ContentError) -> None:
    """A short refusal as an alert, a long one as a message."""
    text = refusal(exc)
    if len(text) <= 190:
        await query.answer(text, show_alert=True)
        return
    await query.answer()
    await bot.send_message(chat_of(query), text)


def topic_arg(command: CommandObject) -> str:
    """The first word of a command's arguments, as a topic ID ("" when none)."""
    words = (command.args or "").split()
    return words[0].lower() if words else ""


def document_lines(version: Version, label: str) -> list[str]:
    """A version's document in full, as self-contained HTML lines."""
    doc = version.document
    lines = [
        "<b>" + escape(label) + "</b>",
        escape(
            _("Status: {status}. Checked on {date}. By {user}, {at}.").format(
                status=doc.get("status", ""),
                date=doc.get("as_of", "—"),
                user=version.created_by,
                at=version.created_at,
            )
        ),
        escape(_("Source of this change: {source}").format(source=version.change_source)),
        "📎 " + escape("; ".join(doc.get("sources") or ["—"])),
    ]
    for lang in LANGS:
        title = (doc.get("title") or {}).get(lang) or "—"
        lines += ["", "<b>" + escape(f"{NATIVE_NAMES[lang]}: {title}") + "</b>"]
        lines.append(escape((doc.get("answer") or {}).get(lang) or "—"))
        questions = (doc.get("questions") or {}).get(lang) or []
        lines += [escape(f"{n}. {q}") for n, q in enumerate(questions, start=1)]
    return lines


class _DraftView:
    """Just enough of an Assistant for :func:`bot.render.topic_answer` to render a draft."""

    def __init__(self, assistant: Assistant, version: Version) -> None:
        self.db = assistant.db
        self._entry = docs.preview_entry(version.document)

    def entry(self, topic: str) -> FaqEntry:
        """The draft's entry, whatever the topic."""
        return self._entry


async def send_preview(bot: Bot, chat_id: int, assistant: Assistant, version: Version) -> None:
    """What voters would see in each language, then Publish / Discard."""
    faq.sync_live(assistant.db)
    doc = version.document
    hidden = doc.get("status") != "published"
    if not hidden:
        view = cast(Assistant, _DraftView(assistant, version))
        for lang in LANGS:
            text = topic_answer(view, version.topic, lang) or ""
            await bot.send_message(chat_id, "👁 <b>" + escape(NATIVE_NAMES[lang]) + "</b>\n\n" + text)
    live = faq.current(assistant.db, version.topic)
    missing = docs.missing_fields(doc)
    stale = version.base_id != (live.id if live else None)
    changes = ", ".join(docs.changed_fields(live.document if live else None, doc)) or "—"
    lines = [
        "✏️ <b>" + escape(f"{version.topic} v{version.version}") + "</b>",
        escape(_("Source of this change: {source}").format(source=version.change_source)),
        escape(_("Changes: {fields}").format(fields=changes)),
    ]
    if hidden:
        lines.append("🙈 " + escape(_("Once published, voters no longer get this topic.")))
    if missing:
        text = _("Not published: missing {fields}.").format(fields=", ".join(missing))
        lines.append("⚠️ " + escape(text))
    if stale:
        lines.append(
            "⚠️ "
            + escape(
                _(
                    "The published entry changed after this draft was made (it is now version "
                    "{version}). Discard the draft and edit again."
                ).format(version=live.version if live else 0)
            )
        )
    kb = Keyboard()
    if not missing and not stale:
        kb.button(text="✅ " + _("Publish"), callback_data=FaqDraftCB(version=version.id, action="publish"))
    kb.button(text="✖️ " + _("Discard"), callback_data=FaqDraftCB(version=version.id, action="discard"))
    kb.button(text="✏️ " + _("Edit"), callback_data=FaqEditCB(step="topic", value=version.topic))
    await bot.send_message(chat_id, "\n".join(lines), reply_markup=kb.as_markup())


def unknown_topic(topic: str) -> str:
    """The reply for a topic with neither a published version nor a draft."""
    if not topic:
        return escape(_("Give a topic ID, e.g. /faq_show voting-hours. The list: /faq"))
    return escape(_("There is no topic {topic}. The list: /faq").format(topic=topic))


def router() -> Router:
    """Build the FAQ review router (include it inside the admin-only router)."""
    r = LeanRouter(name="admin-faq")

    @r.message(Command("faq"))
    async def list_(message: Message, bot: Bot, assistant: Assistant, lang: Lang) -> None:
        """Every topic, alphabetical, with its live version and any draft."""
        lines = ["📚 <b>" + escape(_("FAQ topics")) + "</b>"]
        for state in faq.overview(assistant.db):
            live, draft = state.live, state.draft
            icon = "🆕" if live is None else "✅" if live.document.get("status") == "published" else "🙈"
            line = f"{icon} <code>{escape(state.topic)}</code>"
            if live is not None:
                line += f" v{live.version}"
            title = state.titles.get(lang) or ""
            line += " · " + escape(title) if title else ""
            if draft is not None:
                line += f" · ✏️ v{draft.version}"
            lines.append(line)
        lines += [
            "",
            escape(_("✅ published, 🙈 hidden from voters, 🆕 not published yet, ✏️ draft to review.")),
            escape(_("/faq_show TOPIC · /faq_edit · /faq_preview TOPIC · /faq_history TOPIC · /faq_export")),
        ]
        await send_lines(bot, message.chat.id, lines)

    @r.message(Command("faq_show"))
    async def show(message: Message, command: CommandObject, bot: Bot, assistant: Assistant) -> None:
        """The published entry and the draft, if any."""
        topic = topic_arg(command)
        faq.sync_live(assistant.db)
        live, draft = faq.current(assistant.db, topic), faq.open_draft(assistant.db, topic)
        if live is None and draft is None:
            await message.answer(unknown_topic(topic))
            return
        lines: list[str] = []
        if live is not None:
            lines += document_lines(live, _("Published: version {version}").format(version=live.version))
        if draft is not None:
            lines += ["", *document_lines(draft, _("Draft: version {version}").format(version=draft.version))]
        kb = Keyboard()
        if draft is not None:
            kb.button(text="👁 " + _("Preview"), callback_data=FaqDraftCB(version=draft.id, action="preview"))
        kb.button(text="✏️ " + _("Edit"), callback_data=FaqEditCB(step="topic", value=topic))
        await send_lines(bot, message.chat.id, lines, kb.as_markup())

    @r.message(Command("faq_preview"))
    async def preview(message: Message, command: CommandObject, bot: Bot, assistant: Assistant) -> None:
        """The topic's draft as each language's voters would see it."""
        topic = topic_arg(command)
        draft = faq.open_draft(assistant.db, topic) if topic else None
        if draft is None:
            text = _("{topic} has no draft. Start one with /faq_edit {topic}").format(topic=topic or "TOPIC")
            await message.answer(escape(text))
            return
        await send_preview(bot, message.chat.id, assistant, draft)

    @r.callback_query(FaqDraftCB.filter(F.action.in_({"preview", "publish", "discard"})))
    async def decide(query: CallbackQuery, callback_data: FaqDraftCB, bot: Bot, assistant: Assistant) -> None:
        """Preview, publish (then the matcher learns at once) or discard a draft."""
        db, by, chat_id = assistant.db, query.from_user.id, chat_of(query)
        if callback_data.action == "preview":
            version = faq.get(db, callback_data.version)
            if version is None or version.status != faq.DRAFT:
                await refuse(
                    query, bot, EditRefused("This draft was already published, discarded or replaced.")
                )
                return
            await query.answer()
            await send_preview(bot, chat_id, assistant, version)
            return
        try:
            if callback_data.action == "publish":
                version = faq.publish(db, by, callback_data.version)
            else:
                version = faq.discard(db, by, callback_data.version)
        except (EditRefused, ContentError) as exc:
            await refuse(query, bot, exc)
            return
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=None)
        if callback_data.action == "publish":
            await assistant.refresh_async()
            text = _(
                "{topic}: version {version} is published; voters get it now. "
                "/undo {topic} brings back the previous one."
            )
            await bot.send_message(
                chat_id, "✅ " + escape(text.format(topic=version.topic, version=version.version))
            )
        else:
            text = _("{topic}: draft version {version} discarded; it stays in /faq_history {topic}.")
            await bot.send_message(
                chat_id, "✖️ " + escape(text.format(topic=version.topic, version=version.version))
            )

    @r.message(Command("undo"))
    async def undo(message: Message, command: CommandObject, assistant: Assistant) -> None:
        """Publish again the version that was live before the current one."""
        assert message.from_user is not None
        topic = topic_arg(command)
        if not topic:
            await message.answer(escape(_("Give a topic ID, e.g. /undo voting-hours. The list: /faq")))
            return
        try:
            version = faq.undo(assistant.db, message.from_user.id, topic)
        except EditRefused as exc:
            await message.answer(refusal(exc))
            return
        await assistant.refresh_async()
        text = _("{topic}: undone. Version {version} is published: {source}.").format(
            topic=topic, version=version.version, source=version.change_source
        )
        await message.answer("↩️ " + escape(text))

    @r.message(Command("faq_history"))
    async def history(message: Message, command: CommandObject, bot: Bot, assistant: Assistant) -> None:
        """Every version of a topic, newest first, with buttons to restore earlier ones."""
        topic = topic_arg(command)
        faq.sync_live(assistant.db)
        versions = faq.history(assistant.db, topic)
        if not versions:
            await message.answer(unknown_topic(topic))
            return
        lines = ["🕓 <b>" + escape(topic) + "</b>"]
        for v in versions[:HISTORY_SHOWN]:
            lines.append(
                escape(f"v{v.version} · {v.status} · {v.action} · {v.created_at} · {v.created_by}")
                + " · "
                + escape(v.change_source)
            )
        if len(versions) > HISTORY_SHOWN:
            lines.append(escape(_("…and {count} more.").format(count=len(versions) - HISTORY_SHOWN)))
        kb = Keyboard()
        restorable = [v for v in versions if v.published_at and v.status != faq.PUBLISHED]
        for v in restorable[:REVERT_BUTTONS]:
            kb.button(
                text="↩️ " + _("Restore v{version}").format(version=v.version),
                callback_data=FaqRevertCB(version=v.id),
            )
        kb.adjust(3)
        await send_lines(bot, message.chat.id, lines, kb.as_markup())

    @r.callback_query(FaqRevertCB.filter())
    async def restore(
        query: CallbackQuery, callback_data: FaqRevertCB, bot: Bot, assistant: Assistant
    ) -> None:
        """Publish an earlier version again, as a new version."""
        try:
            version = faq.revert(assistant.db, query.from_user.id, callback_data.version)
        except EditRefused as exc:
            await refuse(query, bot, exc)
            return
        await assistant.refresh_async()
        await query.answer()
        text = _("{topic}: version {version} is published: {source}.").format(
            topic=version.topic, version=version.version, source=version.change_source
        )
        await bot.send_message(chat_of(query), "↩️ " + escape(text))

    @r.message(Command("faq_delete"))
    async def delete(message: Message, command: CommandObject, bot: Bot, assistant: Assistant) -> None:
        """A draft that hides the topic from voters once published."""
        assert message.from_user is not None
        try:
            words, pairs = key_values(command.args)
        except ValueError:
            words, pairs = [], {}
        source = pairs.get("source") or " ".join(words[1:])
        if not words or not source:
            await message.answer(
                escape(_('Give the topic and the source of this change: /faq_delete TOPIC source="…"'))
            )
            return
        try:
            version = faq.unpublish(assistant.db, message.from_user.id, words[0].lower(), source)
        except EditRefused as exc:
            await message.answer(refusal(exc))
            return
        await send_preview(bot, message.chat.id, assistant, version)

    @r.message(Command("faq_export"))
    async def export(message: Message, bot: Bot, assistant: Assistant) -> None:
        """The live FAQ as one YAML file in the content/faq format (the upload format)."""
        entries = read_faq(assistant.db)
        await bot.send_document(
            message.chat.id,
            BufferedInputFile(export_yaml(entries), filename="faq.yaml"),
            caption=_(
                "FAQ entries: {count}. Edit and send the file back, with the source of the change "
                "as its caption, to create drafts."
            ).format(count=len(entries)),
        )

    @r.message(on_loop(F.document.file_name.lower().endswith((".yaml", ".yml"))))
    async def upload(message: Message, bot: Bot, assistant: Assistant) -> None:
        """Drafts from a YAML file of entries: all valid, or nothing changes."""
        assert message.document is not None and message.from_user is not None
        name = message.document.file_name or "faq.yaml"
        if not message.document.file_size or message.document.file_size > MAX_BYTES:
            await message.answer(escape(_("The file must not be empty or larger than {n} MB.").format(n=2)))
            return
        buffer = io.BytesIO()
        await bot.download(message.document, destination=buffer)
        checked = await check_off_loop(message, parse_upload, buffer.getvalue(), name)
        if checked is None:
            return
        entries, errors = checked
        lines = ["📄 <b>" + escape(name) + "</b>"]
        if errors:
            lines.append(escape(_("Nothing was changed. Fix the file and send it again.")))
            lines += [escape(problem_line(e)) for e in errors]
            await send_lines(bot, message.chat.id, lines)
            return
        try:
            drafts, unchanged = faq.import_entries(
                assistant.db, message.from_user.id, entries, message.caption or "", name
            )
        except EditRefused:
            text = _(
                "Send the file again with the source of this change as its caption. Nothing was changed."
            )
            await message.answer(escape(text))
            return
        lines.append(
            escape(
                _("Drafts: {drafts}. Unchanged: {unchanged}.").format(
                    drafts=len(drafts), unchanged=len(unchanged)
                )
            )
        )
        lines += [escape(f"✏️ {v.topic} v{v.version}") for v in drafts]
        if drafts:
            lines.append(escape(_("Nothing reaches voters before you preview and publish each draft.")))
        kb = Keyboard()
        for v in drafts[:UPLOAD_BUTTONS]:
            kb.button(text="👁 " + v.topic, callback_data=FaqDraftCB(version=v.id, action="preview"))
        kb.adjust(2)
        await send_lines(bot, message.chat.id, lines, kb.as_markup())

    return r
