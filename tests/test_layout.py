"""The code's layout: imports point down the layers only, with no cycles, and aiogram is
imported only by the Telegram wiring and the handlers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lower layers first; a module may import only from its own layer or a lower one.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("bot.config", "bot.db", "bot.languages", "bot.i18n", "bot.audit", "bot.yaml_content"),
    ("bot.text", "bot.charts"),
    ("bot.faq", "bot.calendar", "bot.candidates"),
    ("bot.abroad", "bot.delivery"),
    ("bot.content",),
    ("bot.admin", "bot.conversation"),
    (
        "bot.telegram.command_menus",
        "bot.telegram.local_chat",
        "bot.telegram.sender",
        "bot.telegram.scheduler",
        "bot.telegram.fsm_storage",
        "bot.telegram.cluster",
        "bot.telegram.redis_cluster",
        "bot.telegram.session",
    ),
    ("handlers",),
    ("bot.telegram.app", "bot.telegram.console", "bot.telegram.content_sync", "bot.telegram"),
    ("bot.cli",),
    ("bot.__main__",),
)
AIOGRAM_ALLOWED = ("bot.telegram", "handlers")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in ("bot", "handlers") for p in (ROOT / package).rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """Every module named by an import statement (inside functions too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def layer_of(module: str) -> int | None:
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    return None


def project_imports(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    return {name for name in imports_of(path) if name in known and name != module}


def test_every_module_has_a_layer() -> None:
    missing = [m for m in modules() if m not in ("bot", "handlers") and layer_of(m) is None]
    assert not missing, f"add these modules to LAYERS: {missing}"


def test_imports_point_down() -> None:
    known = modules()
    upward = []
    for module, path in known.items():
        rank = layer_of(module)
        if rank is None:
            continue
        for target in project_imports(module, path, known):
            target_rank = layer_of(target)
            if target_rank is not None and target_rank > rank:
                upward.append(f"{module} -> {target}")
    assert not upward, upward


def test_no_import_cycles() -> None:
    known = modules()
    graph = {m: project_imports(m, p, known) - {"bot", "handlers"} for m, p in known.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join([*stack[stack.index(nxt) :], nxt]))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_only_telegram_wiring_and_handlers_import_aiogram() -> None:
    offenders = [
        module
        for module, path in modules().items()
        if not module.startswith(AIOGRAM_ALLOWED)
        and any(name == "aiogram" or name.startswith("aiogram.") for name in imports_of(path))
    ]
    assert not offenders, offenders


def test_every_package_says_what_it_owns() -> None:
    for init in [*(ROOT / "bot").rglob("__init__.py"), *(ROOT / "handlers").rglob("__init__.py")]:
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init
