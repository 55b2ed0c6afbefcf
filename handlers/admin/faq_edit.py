"""/faq_edit: a guided change of one FAQ field, saved as a draft with its source.

Topic (an ID, new or existing) → field → language (for per-language fields) → value →
source of the change. /cancel stops at any step. The draft is reviewed with /faq_preview.
"""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.conversation.assistant import Assistant
from bot.faq import documents as docs
from bot.faq import editing as faq
from bot.faq import unanswered
from bot.faq.documents import FIELDS, PER_LANG_FIELDS, EditRefused
from bot.i18n import N_
from bot.languages import LANGS, NATIVE_NAMES
from handlers.admin.faq import chat_of, refusal, send_lines
from handlers.buttons import Keyboard
from handlers.callbacks import FaqDraftCB, FaqEditCB
from handlers.filters import on_loop
from handlers.routing import LeanRouter

FIELD_LABELS: dict[str, str] = {
    "title": N_("Title"),
    "answer": N_("Answer"),
    "add_question": N_("Add a phrasing"),
    "remove_question": N_("Remove a phrasing"),
    "sources": N_("Sources"),
    "as_of": N_("Checked on (as_of)"),
    "status": N_("Status (published / draft)"),
}
PROMPTS: dict[str, str] = {
    "title": N_("Send the title in {lang}, one line of at most 40 characters."),
    "answer": N_("Send the answer in {lang}: plain text, at most 1,500 characters."),
    "add_question": N_("Send the new phrasing in {lang}; several, one per line."),
    "remove_question": N_("Send the number of the phrasing in {lang} to remove."),
    "sources": N_(
        "Send the sources of the entry, one per line (URL or document title); they replace the current ones."
    ),
    "as_of": N_("Send the date the facts were checked, YYYY-MM-DD."),
    "status": N_("Choose: published (voters get it) or draft (hidden from voters)."),
}


class FaqEdit(StatesGroup):
    """The steps of /faq_edit."""

    topic = State()
    field = State()
    lang = State()
    value = State()
    source = State()


def fields_keyboard() -> InlineKeyboardMarkup:
    """One button per editable field."""
    kb = Keyboard()
    for field in FIELDS:
        kb.button(text=_(FIELD_LABELS[field]), callback_data=FaqEditCB(step="field", value=field))
    kb.adjust(2)
    return kb.as_markup()


def current_value(document: dict, field: str, lang: str) -> list[str]:
    """The field's value now, as HTML lines for the prompt."""
    if field in ("title", "answer"):
        text = (document.get(field) or {}).get(lang)
        return ["<i>" + escape(text) + "</i>"] if text else []
    if field == "remove_question":
        questions = (document.get("questions") or {}).get(lang) or []
        return [escape(f"{n}. {q}") for n, q in enumerate(questions, start=1)]
    if field == "sources":
        return [escape(s) for s in document.get("sources") or []]
    if field in ("as_of", "status"):
        return [escape(str(document.get(field, "")))]
    return []


async def begin_topic(bot: Bot, chat_id: int, state: FSMContext, assistant: Assistant, text: str) -> None:
    """Take the topic ID, then ask for the field (or save a prefilled voter question)."""
    try:
        topic = docs.check_topic_id(text)
    except EditRefused as exc:
        await bot.send_message(chat_id, refusal(exc))
        return
    data = await state.get_data()
    await state.update_data(topic=topic)
    if data.get("question"):
        await state.update_data(field="add_question", value=data["question"], source=faq.VOTER_QUESTION)
        await save(bot, chat_id, state, assistant)
        return
    exists = faq.current(assistant.db, topic) or faq.open_draft(assistant.db, topic)
    note = _("Editing {topic}.") if exists else _("New topic {topic}.")
    await state.set_state(FaqEdit.field)
    text = note.format(topic=topic) + " " + _("Which field?")
    await bot.send_message(chat_id, escape(text), reply_markup=fields_keyboard())


async def ask_value(bot: Bot, chat_id: int, state: FSMContext, assistant: Assistant) -> None:
    """Show the field's current value and ask for the new one."""
    data = await state.get_data()
    field, lang = data["field"], data.get("lang", "")
    document = faq.working_document(assistant.db, data["topic"])
    await state.set_state(FaqEdit.value)
    lines = [escape(_(PROMPTS[field]).format(lang=NATIVE_NAMES.get(lang, lang)))]  # type: ignore[call-overload]
    lines += current_value(document, field, lang)
    kb = Keyboard()
    if field == "status":
        for value in ("published", "draft"):
            kb.button(text=value, callback_data=FaqEditCB(step="value", value=value))
    await send_lines(bot, chat_id, lines, kb.as_markup() if field == "status" else None)


async def take_value(bot: Bot, chat_id: int, state: FSMContext, assistant: Assistant, value: str) -> None:
    """Check the value against the entry now, then ask for the source of the change."""
    data = await state.get_data()
    try:
        docs.apply_edit(
            faq.working_document(assistant.db, data["topic"]), data.get("lang", ""), data["field"], value
        )
    except EditRefused as exc:
        await bot.send_message(chat_id, refusal(exc))
        return
    await state.update_data(value=value)
    await state.set_state(FaqEdit.source)
    await bot.send_message(
        chat_id, escape(_("What is the source of this change? Send a URL or a document title."))
    )


async def save(bot: Bot, chat_id: int, state: FSMContext, assistant: Assistant) -> None:
    """Save the change as a draft and end the conversation."""
    data = await state.get_data()
    user_id = int(data["user"])
    try:
        version = faq.edit_field(
            assistant.db,
            user_id,
            data["topic"],
            data.get("lang", ""),
            data["field"],
            data["value"],
            data["source"],
        )
    except EditRefused as exc:
        await bot.send_message(chat_id, refusal(exc))
        await state.clear()
        return
    await state.clear()
    if data.get("group"):
        group = unanswered.find(assistant.db, int(data["group"]))
        if group is not None:
            unanswered.mark_handled(assistant.db, user_id, group, "draft:" + version.topic)
    kb = Keyboard()
    kb.button(text="👁 " + _("Preview"), callback_data=FaqDraftCB(version=version.id, action="preview"))
    kb.button(text="✏️ " + _("Edit more"), callback_data=FaqEditCB(step="topic", value=version.topic))
    text = _("Draft version {version} of {topic} saved. Voters do not see it until it is published.").format(
        version=version.version, topic=version.topic
    )
    await bot.send_message(chat_id, "✏️ " + escape(text), reply_markup=kb.as_markup())


async def start_from_question(
    bot: Bot, chat_id: int, user_id: int, state: FSMContext, question: str, lang: str, group: int
) -> None:
    """/unanswered → new entry: ask for the topic, the question becomes its first phrasing."""
    await state.clear()
    await state.set_state(FaqEdit.topic)
    await state.update_data(user=user_id, question=question, lang=lang, group=group)
    text = _(
        "New entry from the question «{question}». Send the ID of the new topic, e.g. voting-fines "
        "(an existing ID adds the question to that topic's draft). /cancel stops."
    ).format(question=question)
    await bot.send_message(chat_id, escape(text))


def router() -> Router:
    """Build the /faq_edit router (include it inside the admin-only router)."""
    r = LeanRouter(name="admin-faq-edit")

    @r.message(Command("faq_edit"))
    async def begin(
        message: Message, command: CommandObject, bot: Bot, state: FSMContext, assistant: Assistant
    ) -> None:
        """Start: with a topic ID, go straight to the field."""
        assert message.from_user is not None
        await state.clear()
        await state.update_data(user=message.from_user.id)
        if command.args:
            await begin_topic(bot, message.chat.id, state, assistant, command.args)
            return
        await state.set_state(FaqEdit.topic)
        text = _("Which topic? Send its ID (see /faq), or a new ID for a new topic. /cancel stops.")
        await message.answer(escape(text))

    @r.message(StateFilter(FaqEdit), Command("cancel"))
    async def cancel(message: Message, state: FSMContext) -> None:
        """Stop without saving."""
        await state.clear()
        await message.answer(escape(_("Cancelled. Nothing was saved.")))

    @r.callback_query(FaqEditCB.filter(F.step == "topic"))
    async def topic_button(
        query: CallbackQuery, callback_data: FaqEditCB, bot: Bot, state: FSMContext, assistant: Assistant
    ) -> None:
        """ "Edit" / "Edit more": start again on the same topic."""
        await query.answer()
        await state.clear()
        await state.update_data(user=query.from_user.id)
        await begin_topic(bot, chat_of(query), state, assistant, callback_data.value)

    @r.message(StateFilter(FaqEdit.topic), on_loop(F.text & ~F.text.startswith("/")))
    async def topic_text(message: Message, bot: Bot, state: FSMContext, assistant: Assistant) -> None:
        """The topic ID."""
        await begin_topic(bot, message.chat.id, state, assistant, message.text or "")

    @r.callback_query(FaqEditCB.filter((F.step == "field") & F.value.in_(FIELDS)), StateFilter(FaqEdit.field))
    async def field_button(
        query: CallbackQuery, callback_data: FaqEditCB, bot: Bot, state: FSMContext, assistant: Assistant
    ) -> None:
        """The field; per-language fields ask for the language next."""
        await query.answer()
        await state.update_data(field=callback_data.value)
        if callback_data.value not in PER_LANG_FIELDS:
            await ask_value(bot, chat_of(query), state, assistant)
            return
        await state.set_state(FaqEdit.lang)
        kb = Keyboard()
        for lang in LANGS:
            kb.button(text=NATIVE_NAMES[lang], callback_data=FaqEditCB(step="lang", value=lang))
        await bot.send_message(chat_of(query), escape(_("Which language?")), reply_markup=kb.as_markup())

    @r.callback_query(FaqEditCB.filter((F.step == "lang") & F.value.in_(LANGS)), StateFilter(FaqEdit.lang))
    async def lang_button(
        query: CallbackQuery, callback_data: FaqEditCB, bot: Bot, state: FSMContext, assistant: Assistant
    ) -> None:
        """The language."""
        await query.answer()
        await state.update_data(lang=callback_data.value)
        await ask_value(bot, chat_of(query), state, assistant)

    @r.callback_query(
        FaqEditCB.filter((F.step == "value") & F.value.in_({"published", "draft"})),
        StateFilter(FaqEdit.value),
    )
    async def status_button(
        query: CallbackQuery, callback_data: FaqEditCB, bot: Bot, state: FSMContext, assistant: Assistant
    ) -> None:
        """The status, chosen by button."""
        await query.answer()
        await take_value(bot, chat_of(query), state, assistant, callback_data.value)

    @r.message(StateFilter(FaqEdit.value), on_loop(F.text & ~F.text.startswith("/")))
    async def value_text(message: Message, bot: Bot, state: FSMContext, assistant: Assistant) -> None:
        """The new value."""
        await take_value(bot, message.chat.id, state, assistant, message.text or "")

    @r.message(StateFilter(FaqEdit.source), on_loop(F.text & ~F.text.startswith("/")))
    async def source_text(message: Message, bot: Bot, state: FSMContext, assistant: Assistant) -> None:
        """The source of the change: save the draft."""
        try:
            source = docs.check_source(message.text or "")
        except EditRefused as exc:
            await message.answer(refusal(exc))
            return
        await state.update_data(source=source)
        await save(bot, message.chat.id, state, assistant)

    return r
