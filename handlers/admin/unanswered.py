"""/unanswered: voters' questions the bot could not answer, grouped; one tap adds a group's
question as a phrasing of a topic (published at once, the matcher learns it), starts a new
entry from it, or sets it aside. Handled groups no longer show."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.conversation.assistant import Assistant
from bot.faq import editing as faq
from bot.faq import unanswered
from bot.faq.documents import EditRefused
from bot.faq.unanswered import Group
from bot.languages import DEFAULT_LANG, LANGS, Lang
from handlers.admin.faq import chat_of, refuse
from handlers.admin.faq_edit import start_from_question
from handlers.buttons import Keyboard
from handlers.callbacks import UnansweredCB, UnansweredPageCB
from handlers.routing import LeanRouter

PAGE_SIZE = 6
SUGGESTED = 3
SHOWN_CHARS = 80
ACTIONS = {"o", "a", "t", "n", "i"}


def group_line(group: Group, number: int | None = None) -> str:
    """One group: count, language, the newest question (in the list), why it was kept."""
    reasons = ", ".join(f"{reason} {count}" for reason, count in sorted(group.reasons.items()))
    parts = [f"×{group.count}", group.lang or "?", reasons]
    if number is not None:
        parts.insert(2, f"«{group.text[:SHOWN_CHARS]}»")
    text = " · ".join(parts)
    return escape(text if number is None else f"{number}. {text}")


def page_view(groups: list[Group], page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the list, with a button per group and page arrows."""
    if not groups:
        return escape(_("No unanswered questions are waiting.")), None
    pages = (len(groups) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = groups[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    header = _(
        "Unanswered questions. Groups: {groups}, questions: {questions}. Page {page} of {pages}."
    ).format(groups=len(groups), questions=sum(g.count for g in groups), page=page + 1, pages=pages)
    lines = ["❓ <b>" + escape(header) + "</b>"]
    kb = Keyboard()
    for number, group in enumerate(shown, start=page * PAGE_SIZE + 1):
        lines.append(group_line(group, number))
        kb.button(text=f"{number}. {group.text[:24]}", callback_data=UnansweredCB(group=group.id, action="o"))
    if page > 0:
        kb.button(text="◀️", callback_data=UnansweredPageCB(page=page - 1))
    if page < pages - 1:
        kb.button(text="▶️", callback_data=UnansweredPageCB(page=page + 1))
    kb.adjust(*([1] * len(shown)), 2)  # a group per row, then the arrows side by side
    lines.append(escape(_("Choose a group to add it to a topic or start a new entry.")))
    return "\n".join(lines), kb.as_markup()


def group_view(assistant: Assistant, group: Group, lang: Lang) -> tuple[str, InlineKeyboardMarkup]:
    """A group with the matcher's best topics for it and the other actions."""
    lines = ["❓ <b>" + escape(f"«{group.text}»") + "</b>", group_line(group)]
    others = group.examples[1:4]
    if others:
        lines.append(
            escape(_("Also asked as: {examples}").format(examples="; ".join(f"«{e}»" for e in others)))
        )
    lines.append(escape(_("Add it as a phrasing of a topic (published at once), or:")))
    kb = Keyboard()
    ranked = [
        c.topic
        for c in assistant.matcher.rank(group.text, limit=SUGGESTED + 2)
        if c.topic in assistant.entries
    ]
    for topic in ranked[:SUGGESTED]:
        title = assistant.entries[topic].titles[lang]
        kb.button(text="➕ " + title, callback_data=UnansweredCB(group=group.id, action="a", topic=topic))
    kb.button(text="📋 " + _("Another topic"), callback_data=UnansweredCB(group=group.id, action="t"))
    kb.button(text="📝 " + _("New entry"), callback_data=UnansweredCB(group=group.id, action="n"))
    kb.button(text="🗑 " + _("Ignore"), callback_data=UnansweredCB(group=group.id, action="i"))
    kb.adjust(1)
    return "\n".join(lines), kb.as_markup()


def topics_keyboard(assistant: Assistant, group: Group) -> InlineKeyboardMarkup:
    """Every published topic, alphabetical, to add the question to."""
    kb = Keyboard()
    for topic in sorted(assistant.entries)[:90]:
        kb.button(text=topic, callback_data=UnansweredCB(group=group.id, action="a", topic=topic))
    kb.adjust(2)
    return kb.as_markup()


def question_lang(assistant: Assistant, group: Group) -> Lang:
    """The language of the group's question: as recorded, else detected."""
    if group.lang in LANGS:
        return group.lang  # type: ignore[return-value]
    return assistant.detect(group.text) or DEFAULT_LANG


def router() -> Router:
    """Build the /unanswered router (include it inside the admin-only router)."""
    r = LeanRouter(name="admin-unanswered")

    @r.message(Command("unanswered"))
    async def list_(message: Message, assistant: Assistant) -> None:
        """The first page of groups, newest first."""
        text, markup = page_view(unanswered.groups(assistant.db), 0)
        await message.answer(text, reply_markup=markup)

    @r.callback_query(UnansweredPageCB.filter(F.page >= 0))
    async def page(
        query: CallbackQuery, callback_data: UnansweredPageCB, bot: Bot, assistant: Assistant
    ) -> None:
        """Another page."""
        await query.answer()
        text, markup = page_view(unanswered.groups(assistant.db), callback_data.page)
        await bot.send_message(chat_of(query), text, reply_markup=markup)

    @r.callback_query(UnansweredCB.filter(F.action.in_(ACTIONS)))
    async def act(
        query: CallbackQuery,
        callback_data: UnansweredCB,
        bot: Bot,
        state: FSMContext,
        assistant: Assistant,
        lang: Lang,
    ) -> None:
        """Open a group, add it to a topic, list topics, start a new entry, or ignore it."""
        db, by, chat_id, action = assistant.db, query.from_user.id, chat_of(query), callback_data.action
        group = unanswered.find(db, callback_data.group)
        if group is None:
            await query.answer(_("These questions were already handled."), show_alert=True)
            return
        if action == "o":
            await query.answer()
            text, markup = group_view(assistant, group, lang)
            await bot.send_message(chat_id, text, reply_markup=markup)
        elif action == "t":
            await query.answer()
            text = _("Which topic should answer «{question}»?").format(question=group.text[:SHOWN_CHARS])
            await bot.send_message(chat_id, escape(text), reply_markup=topics_keyboard(assistant, group))
        elif action == "n":
            await query.answer()
            await start_from_question(
                bot, chat_id, by, state, group.text, question_lang(assistant, group), group.id
            )
        elif action == "i":
            count = unanswered.mark_handled(db, by, group, "ignored")
            await query.answer(_("Set aside. Questions: {count}.").format(count=count), show_alert=True)
        else:
            await attach(query, bot, assistant, group, callback_data.topic)

    async def attach(query: CallbackQuery, bot: Bot, assistant: Assistant, group: Group, topic: str) -> None:
        """Publish the question as a phrasing of ``topic`` and check the bot now answers it."""
        db, by = assistant.db, query.from_user.id
        lang = question_lang(assistant, group)
        try:
            with db.atomic():
                version = faq.add_phrasing(db, by, topic, lang, group.text)
                unanswered.mark_handled(db, by, group, "phrasing:" + topic)
        except EditRefused as exc:
            await refuse(query, bot, exc)
            return
        await assistant.refresh_async()
        await query.answer()
        reply = assistant.ask(group.text, record=False)
        lines = [
            "✅ "
            + escape(
                _(
                    "«{question}» is now a phrasing of {topic} ({lang}); version {version} is published."
                ).format(question=group.text[:SHOWN_CHARS], topic=topic, lang=lang, version=version.version)
            )
        ]
        if reply.kind == "answer" and reply.topic == topic:
            lines.append(escape(_("The bot now answers this question with this topic.")))
        else:
            note = _(
                "The bot still does not answer it with this topic: add more phrasings with /faq_edit {topic}"
            )
            lines.append("⚠️ " + escape(note.format(topic=topic)))
        await bot.send_message(chat_of(query), "\n".join(lines))

    return r
