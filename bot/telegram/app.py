"""Wiring the core to aiogram: dispatcher, bot, profile, polling and webhook.

Besides this module, the console, local_chat, command_menus, sender and scheduler import aiogram.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import secrets
import signal

import sqlite_utils
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.utils.i18n import I18n

from bot.abroad import gazetteer, missions
from bot.abroad.missions import MissionDirectory
from bot.admin.admins import Admins
from bot.candidates.directory import CandidateDirectory
from bot.config import Settings
from bot.conversation.assistant import Assistant
from bot.i18n import DOMAIN, LOCALES_DIR, gettext
from bot.languages import DEFAULT_LANG, LANGS, Lang
from bot.telegram.cluster import Cluster, local_cluster
from bot.telegram.command_menus import commands, set_admin_menu
from bot.telegram.content_sync import follow_changes, mark_loaded
from bot.telegram.scheduler import Digests, run_scheduler
from bot.telegram.session import BotApiSession
from handlers import setup_routers
from handlers.middlewares import (
    GroupMannersMiddleware,
    RepeatedUpdateMiddleware,
    ThrottlingMiddleware,
    UserLocaleMiddleware,
)

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"


def create_dispatcher(
    assistant: Assistant, settings: Settings, throttle: bool = True, cluster: Cluster | None = None
) -> Dispatcher:
    """A dispatcher with the assistant injected, i18n, throttling and every router; what it
    shares with other processes comes from ``cluster`` (default: alone, or Redis when
    ``REDIS_URL`` is set)."""
    cluster = cluster or open_cluster(assistant.db, settings)
    dp = Dispatcher(storage=cluster.storage, events_isolation=cluster.isolation)
    dp["cluster"] = cluster
    dp["assistant"] = assistant
    mark_loaded(dp)  # before the content is read: a change made meanwhile is followed
    dp["directory"] = CandidateDirectory(assistant.db)
    dp["missions"] = MissionDirectory(assistant.db)
    dp["settings"] = settings
    dp["admins"] = Admins(assistant.db, settings.admin_ids)
    i18n = I18n(path=LOCALES_DIR, default_locale=DEFAULT_LANG, domain=DOMAIN)
    manners = GroupMannersMiddleware()  # first: chatter in a group costs nothing
    dp.message.outer_middleware(manners)
    dp.edited_message.outer_middleware(manners)
    UserLocaleMiddleware(i18n, assistant).setup(dp)
    if throttle:
        throttling = ThrottlingMiddleware(cluster.window)
        dp.message.outer_middleware(throttling)
        dp.edited_message.outer_middleware(throttling)
        dp.callback_query.outer_middleware(throttling)
    dp.include_router(setup_routers())
    _run_background_while_up(dp, assistant, settings, cluster)
    return dp


def open_cluster(db: sqlite_utils.Database, settings: Settings) -> Cluster:
    """What the processes share: through Redis when ``REDIS_URL`` is set, else nothing (alone)."""
    if settings.redis_url is None:
        return local_cluster(db, settings)
    from bot.telegram.redis_cluster import redis_cluster  # redis is imported only when used

    return redis_cluster(settings)


def _run_background_while_up(
    dp: Dispatcher, assistant: Assistant, settings: Settings, cluster: Cluster
) -> None:
    """While polling or the webhook runs: the scheduler (in the process holding its lease) and
    the follower of other processes' content changes; stopped with them."""
    tasks: list[asyncio.Task] = []
    wakeup = dp["outbox_wakeup"] = asyncio.Event()  # set it to send queued messages now

    async def start(bot: Bot) -> None:
        digests = Digests(admins=dp["admins"].all, stale_after_days=settings.stale_after_days)
        scheduler = run_scheduler(
            bot,
            assistant.db,
            settings.reminder_interval_seconds,
            cluster.limiter,
            wakeup,
            digests,
            cluster.lease,
        )
        tasks.append(asyncio.create_task(scheduler))
        tasks.append(asyncio.create_task(follow_changes(dp)))

    async def stop() -> None:
        while tasks:
            task = tasks.pop()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        assistant.question_tally.flush()  # the counts of the last few seconds
        await cluster.lease.release()  # another process takes the scheduler over at once
        await cluster.close()

    dp.startup.register(start)
    dp.shutdown.register(stop)


def warm_up(dp: Dispatcher) -> None:
    """Build now what the first voters would otherwise wait for (the candidate name index, the
    cities and countries abroad), then :func:`freeze_long_lived`: how ``python -m bot run``
    starts, and what the benchmarks measure."""
    dp["directory"].name_index()
    gazetteer.warm_up()
    missions.warm_up()
    freeze_long_lived()


def freeze_long_lived() -> None:
    """Move what lives as long as the process (content, models, name index, gazetteer) out of
    the garbage collector's reach: full collections then scan only per-update garbage, instead
    of pausing every update in flight for hundreds of milliseconds (bench_dispatch.py); then
    hand the memory freed during start-up back to the system."""
    gc.collect()
    gc.freeze()
    release_freed_memory()


def release_freed_memory() -> bool:
    """Return freed heap pages to the system (glibc's ``malloc_trim``): start-up builds the
    models and indexes through temporary arrays, and glibc keeps the pages they freed, 4-6 MB
    of resident memory (bench_dispatch.py). False where there is no glibc (nothing to do)."""
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    """A bot for ``settings.bot_token``, on a self-hosted Bot API server if configured."""
    if session is None:
        session = BotApiSession()
        if settings.telegram_api_url:
            session.api = TelegramAPIServer.from_base(settings.telegram_api_url)
    assert settings.bot_token is not None
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def description(lang: Lang) -> str:
    """The bot's description (shown before /start) in ``lang``."""
    return gettext(
        "Saylau answers questions about elections in Kazakhstan: dates, maslikhats and akims, "
        "how and where to vote, voting abroad, candidates. Neutral, with sources. "
        "Ask in Kazakh, Russian or Indonesian.",
        lang,
    )


async def set_admin_menus(bot: Bot, admins: Admins) -> None:
    """Show admin commands in each admin's private chat only (chat-scoped command menus)."""
    for user_id in admins.all():
        await set_admin_menu(bot, user_id)


async def set_profile(bot: Bot, admins: Admins | None = None) -> None:
    """Set command menus and descriptions for each language (and the default)."""
    for lang in (None, *LANGS):
        text_lang: Lang = lang or DEFAULT_LANG
        await bot.set_my_commands(commands(text_lang), language_code=lang)
        await bot.set_my_description(description(text_lang), language_code=lang)
        await bot.set_my_short_description(
            gettext("Elections in Kazakhstan: neutral answers with sources.", text_lang),
            language_code=lang,
        )
    if admins is not None:
        await set_admin_menus(bot, admins)


async def run_polling(bot: Bot, dp: Dispatcher) -> None:
    """Long polling until interrupted."""
    await bot.delete_webhook(drop_pending_updates=False)
    await set_profile(bot, dp["admins"])
    me = await bot.get_me()
    log.info("Polling as @%s", me.username)
    await dp.start_polling(bot, handle_signals=True, close_bot_session=True)


async def run_webhook(bot: Bot, dp: Dispatcher, settings: Settings) -> None:
    """Serve Telegram's webhook calls, checked with a secret token, until interrupted."""
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
    from aiohttp import web

    secret = (
        settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
    )
    assert settings.webhook_url is not None
    url = settings.webhook_url + WEBHOOK_PATH

    async def on_startup(bot: Bot) -> None:
        await set_profile(bot, dp["admins"])
        await bot.set_webhook(url, secret_token=secret, allowed_updates=dp.resolve_used_update_types())
        log.info("Webhook set to %s", url)

    dp.startup.register(on_startup)
    dp.update.outer_middleware(RepeatedUpdateMiddleware(dp["cluster"].seen_updates))  # Telegram's retries
    app = web.Application()
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=secret).register(app, path=WEBHOOK_PATH)
    setup_application(app, dp, bot=bot)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, settings.web_server_host, settings.web_server_port)
    await site.start()
    log.info("Listening on %s:%s", settings.web_server_host, settings.web_server_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        log.info("Stopping the webhook server")
        await runner.cleanup()
