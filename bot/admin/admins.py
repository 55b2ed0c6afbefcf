"""Who may change content: owners (ADMIN_IDS in the configuration) and the admins they add.

Every check is by Telegram user ID, never by chat. Adding and removing admins is audited.
"""

from __future__ import annotations

import sqlite_utils

from bot import audit
from bot.db import utcnow
from bot.i18n import N_


class Admins:
    """Owners from the configuration plus admins stored in SQLite."""

    def __init__(self, db: sqlite_utils.Database, owners: tuple[int, ...]) -> None:
        self.db = db
        self.owners = frozenset(owners)
        self._added: frozenset[int] | None = None  # read on first use, kept in step by add/remove

    def _admins(self) -> frozenset[int]:
        """Owners and added admins (every update asks, so the table is read once)."""
        if self._added is None:
            self._added = frozenset(r[0] for r in self.db.execute("SELECT user_id FROM admins"))
        return self.owners | self._added

    def forget_cached(self) -> None:
        """Read the admins again on next use (another process may have changed them)."""
        self._added = None

    def is_owner(self, user_id: int) -> bool:
        """True for the users listed in ADMIN_IDS."""
        return user_id in self.owners

    def is_admin(self, user_id: int) -> bool:
        """True for owners and for admins an owner added."""
        return user_id in self._admins()

    def all(self) -> list[int]:
        """Every owner and admin, sorted."""
        return sorted(self._admins())

    def add(self, by: int, user_id: int) -> bool:
        """An owner makes ``user_id`` an admin; False if they already were one."""
        self._check_owner(by)
        if self.is_admin(user_id):
            return False
        with self.db.atomic():
            self.db["admins"].insert({"user_id": user_id, "added_by": by, "added_at": utcnow()})
            audit.record(self.db, by, "admin.add", str(user_id), before=None, after={"admin": user_id})
        self._added = None
        return True

    def remove(self, by: int, user_id: int) -> bool:
        """An owner removes an admin (owners cannot be removed in the bot); False if not one."""
        self._check_owner(by)
        with self.db.atomic():
            removed = self.db.execute("DELETE FROM admins WHERE user_id = ?", [user_id]).rowcount
            if removed:
                audit.record(self.db, by, "admin.remove", str(user_id), before={"admin": user_id})
        self._added = None
        return removed > 0

    def _check_owner(self, user_id: int) -> None:
        if not self.is_owner(user_id):
            raise PermissionError(f"user {user_id} is not an owner")


# Admin commands (command, description); shown only in admins' own command menus.
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("admin", N_("admin commands")),
    ("audit", N_("recent changes (/audit denied: refused attempts)")),
    ("backup", N_("a copy of the database")),
    ("export_candidates", N_("candidates as CSV")),
    ("export_content", N_("all content as a zip in content/ format")),
    ("stats", N_("usage figures")),
    ("stale", N_("what needs attention: votes without results, old answers, drafts")),
    ("broadcast", N_("a message to reminder subscribers")),
    ("elections", N_("list votes")),
    ("election_set", N_("add or change a vote")),
    ("missions", N_("list embassies and consulates")),
    ("mission_set", N_("change a mission's contact field")),
    ("mission_verify", N_("mark mission fields verified")),
    ("mission_polling", N_("polling station at a mission")),
    ("faq", N_("FAQ topics, versions and drafts")),
    ("faq_show", N_("an FAQ entry and its draft")),
    ("faq_edit", N_("change an FAQ entry (a draft)")),
    ("faq_preview", N_("review a draft, publish or discard it")),
    ("faq_history", N_("versions of an FAQ entry, restore one")),
    ("undo", N_("bring back the previous FAQ version")),
    ("faq_delete", N_("hide an FAQ entry (a draft)")),
    ("faq_export", N_("the FAQ as a YAML file")),
    ("unanswered", N_("questions the bot could not answer")),
    ("addadmin", N_("add an admin (owners)")),
    ("removeadmin", N_("remove an admin (owners)")),
)
