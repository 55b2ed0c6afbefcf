"""Telegram wiring (the only part of bot/ that imports aiogram): the dispatcher and bot,
command menus, the local console chat, and delivery at Telegram's rates."""
