"""The FAQ as one YAML file in the ``content/faq`` format: export, and checking an upload.

An export holds one YAML document per entry (``---`` between them); an upload may hold
several documents, or a list of entries, or one entry, exactly as ``content/faq/*.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from bot.faq.entries import ContentError, FaqEntry, entry_to_dict, parse_entry
from bot.i18n import N_
from bot.yaml_content import YamlRefused, load_yaml_all

MAX_BYTES = 2 * 1024 * 1024
MAX_ENTRIES = 500
MAX_ERRORS = 20


class _Dumper(yaml.SafeDumper):
    """Multi-line texts as ``|`` blocks, like the hand-written files."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def export_yaml(entries: Iterable[FaqEntry]) -> bytes:
    """Every entry as YAML documents, in the upload format."""
    documents = []
    for entry in entries:
        document = entry_to_dict(entry)
        document["as_of"] = entry.as_of  # a YAML date, as in the seed files
        documents.append(document)
    text = yaml.dump_all(documents, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    header = f"# Saylau FAQ, {len(documents)} entries, content/faq format\n"
    return (header + text).encode("utf-8")


def _items(data: object) -> list[object]:
    if data is None:
        return []
    return list(data) if isinstance(data, list) else [data]


def parse_upload(data: bytes, filename: str) -> tuple[list[FaqEntry], list[ContentError]]:
    """Validate an uploaded file; return its entries, or the problems found (then no entries)."""
    if len(data) > MAX_BYTES:
        return [], [
            ContentError(filename, "-", "(file)", N_("larger than {n} MB"), n=MAX_BYTES // 1024 // 1024)
        ]
    if b"\x00" in data:
        return [], [ContentError(filename, "-", "(file)", N_("not a text file"))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [ContentError(filename, "-", "(file)", N_("not UTF-8 text (byte {n})"), n=exc.start)]
    try:
        items = [item for document in load_yaml_all(text) for item in _items(document)]
    except YamlRefused as exc:
        return [], [ContentError(filename, "-", "(document)", exc.template, **exc.values)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is None:
            return [], [ContentError(filename, "-", "(document)", N_("not valid YAML"))]
        return [], [
            ContentError(filename, "-", "(document)", N_("not valid YAML at line {n}"), n=mark.line + 1)
        ]
    if not items:
        return [], [ContentError(filename, "-", "(file)", N_("no entries"))]
    if len(items) > MAX_ENTRIES:
        return [], [ContentError(filename, "-", "(file)", N_("more than {n} entries"), n=MAX_ENTRIES)]
    entries: list[FaqEntry] = []
    errors: list[ContentError] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        source = filename if len(items) == 1 else f"{filename} #{number}"
        try:
            entry = parse_entry(item, source)
        except ContentError as exc:
            errors.append(exc)
            continue
        if entry.topic in seen:
            errors.append(ContentError(source, entry.topic, "topic", N_("appears more than once")))
        seen.add(entry.topic)
        entries.append(entry)
    return ([], errors[:MAX_ERRORS]) if errors else (entries, [])
