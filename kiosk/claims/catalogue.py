"""The claim document catalogue: parsed, validated in full, versioned in the database.

The catalogue is TOML (``resources/claims/catalogue.toml`` is the shipped version).
It is read into a :class:`ClaimCatalogue` only after every rule below holds; a
malformed file raises :class:`~kiosk.errors.ConfigError` naming the file, the line
and the problem, and nothing is stored, so the version in use stays in use.

Versions in the database (which one is in use, importing a new one) are in
:mod:`kiosk.claims.catalogue_versions`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.errors import ConfigError, UsageError
from resources import resource

# O original kept, C copy, O* original shown and a copy kept.
MARKS = ("O", "C", "O*")
SHIPPED_SOURCE = "resources/claims/catalogue.toml"

_DOCUMENT_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_LOWER_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_TOML_LINE = re.compile(r"at line (\d+)")
_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


@dataclass(frozen=True)
class ClaimDocument:
    """A document a customer may have to bring."""

    code: str
    name_zh: str
    name_en: str
    original: str
    hint_zh: str
    hint_en: str


@dataclass(frozen=True)
class ClaimQuestion:
    """A yes/no question whose "yes" changes the documents of some claim types."""

    code: str
    text_zh: str
    text_en: str


@dataclass(frozen=True)
class QuestionEffect:
    """What a "yes" does for one claim type."""

    adds: tuple[str, ...] = ()
    drops: tuple[str, ...] = ()
    originals: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ClaimType:
    """A claim type: its base documents, overrides of their marks, its questions."""

    code: str
    name_zh: str
    name_en: str
    documents: tuple[str, ...]
    originals: Mapping[str, str]
    questions: Mapping[str, QuestionEffect]

    def possible_documents(self) -> list[str]:
        """Every document this claim type can ask for, whatever the answers."""
        codes = list(self.documents)
        for effect in self.questions.values():
            codes += [c for c in effect.adds if c not in codes]
        return codes


@dataclass(frozen=True)
class ClaimCatalogue:
    """One validated version of the catalogue."""

    version: str
    source: str
    text: str
    documents: Mapping[str, ClaimDocument]
    questions: Mapping[str, ClaimQuestion]
    types: Mapping[str, ClaimType]

    def claim_type(self, code: str) -> ClaimType:
        """The claim type ``code``; a usage error listing the valid codes otherwise."""
        found = self.types.get(code)
        if found is None:
            valid = ", ".join(self.types)
            raise UsageError(f"未知理赔类型 {code}，可选：{valid}",
                             f"unknown claim type {code!r}; valid: {valid}",
                             code="unknown_claim_type")
        return found


# ----- parsing and validation ----------------------------------------------------------


def shipped_text() -> str:
    """The catalogue shipped in ``resources/claims/``."""
    return resource("claims", "catalogue.toml").read_text(encoding="utf-8")


def parse_catalogue(text: str, source: str) -> ClaimCatalogue:
    """Parse and validate catalogue ``text``; ``source`` names it in error messages.

    Raises:
        ConfigError: the text is not TOML or breaks a rule; the message names
            ``source``, the line and the problem.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else 1
        raise _error(source, line, f"TOML 语法错误：{exc}", f"TOML syntax error: {exc}") \
            from exc
    return _Validator(text, source).catalogue(doc)


def load_catalogue_file(path: str) -> ClaimCatalogue:
    """Read and validate a catalogue file; errors name the file."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"无法读取理赔资料目录 {path}：{reason}",
                          f"cannot read claim catalogue {path}: {reason}",
                          code="catalogue") from exc
    return parse_catalogue(text, path)


def _error(source: str, line: int, zh: str, en: str) -> ConfigError:
    return ConfigError(f"理赔资料目录 {source} 第 {line} 行：{zh}",
                       f"claim catalogue {source}, line {line}: {en}", code="catalogue")


def line_of(text: str, table: tuple[str, ...], key: str | None = None,
            needle: str | None = None) -> int:
    """The 1-based line in ``text`` where ``table`` (a dotted header path), its ``key``
    and, within that key's value, ``needle`` are written.

    Falls back to the nearest thing found (the key, then the header, then the closest
    enclosing header) so a semantic error always points somewhere useful."""
    lines = text.splitlines()
    sections: list[tuple[tuple[str, ...], int, int]] = []  # (path, header line, end)
    current: tuple[str, ...] = ()
    start = 0
    for index, raw in enumerate(lines):
        match = _HEADER.match(raw)
        if match:
            sections.append((current, start, index))
            current = tuple(part.strip().strip("\"'") for part in match.group(1).split("."))
            start = index
    sections.append((current, start, len(lines)))

    for depth in range(len(table), -1, -1):
        wanted = table[:depth]
        rest = table[depth:]
        for path, begin, end in sections:
            if path != wanted:
                continue
            # Keys written dotted or inline under an enclosing header (types.x.documents
            # = [...] under [types]) are found by their first remaining part.
            first_key = rest[0] if rest else key
            if first_key is None:
                return begin + 1
            key_line = _find_key(lines, begin, end, first_key)
            if key_line is None:
                continue
            if needle is not None:
                for index in range(key_line, end):
                    if index > key_line and _starts_key(lines[index]):
                        break
                    if f'"{needle}"' in lines[index] or f"'{needle}'" in lines[index] \
                            or re.search(rf"\b{re.escape(needle)}\s*=", lines[index]):
                        return index + 1
            return key_line + 1
        for path, begin, _end in sections:
            if path == wanted and path:
                return begin + 1
    return 1


def _find_key(lines: list[str], begin: int, end: int, key: str) -> int | None:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[.=]")
    for index in range(begin, end):
        if pattern.match(lines[index]):
            return index
    return None


def _starts_key(line: str) -> bool:
    return bool(re.match(r"^\s*[\"']?[A-Za-z0-9_]+[\"']?\s*=", line)) or bool(_HEADER.match(line))


class _Validator:
    """Checks one parsed document; each failure names the line it comes from."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source

    def fail(self, table: tuple[str, ...], key: str | None, zh: str, en: str,
             needle: str | None = None) -> ConfigError:
        return _error(self.source, line_of(self.text, table, key, needle), zh, en)

    def table(self, value: Any, where: tuple[str, ...], key: str | None = None) -> dict[str, Any]:
        if not isinstance(value, dict):
            name = ".".join((*where, key) if key else where)
            raise self.fail(where, key, f"{name} 应为表", f"{name} must be a table")
        return value

    def text_field(self, table: dict[str, Any], where: tuple[str, ...], key: str) -> str:
        value = table.get(key)
        name = ".".join(where)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, key if key in table else None,
                            f"{name} 缺少文字 {key}", f"{name}: {key} must be non-empty text")
        return value

    def no_unknown(self, table: dict[str, Any], where: tuple[str, ...],
                   allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                name = ".".join(where) or "top level"
                names = ", ".join(allowed)
                raise self.fail(where, key, f"{name} 中有未知项 {key}（可用：{names}）",
                                f"unknown key {key!r} in {name} (allowed: {names})")

    def mark(self, value: Any, where: tuple[str, ...], key: str, needle: str | None = None) -> str:
        if value not in MARKS:
            raise self.fail(where, key, f"原件标记 {value!r} 无效，应为 O、C 或 O*",
                            f"original mark {value!r} is not one of O, C, O*", needle)
        return str(value)

    def codes(self, value: Any, where: tuple[str, ...], key: str,
              known: Mapping[str, Any]) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, key, f"{key} 应为代码列表", f"{key} must be a list of codes")
        seen: list[str] = []
        for code in value:
            if code not in known:
                raise self.fail(where, key, f"未知资料代码 {code}", f"unknown document code "
                                f"{code!r} (define it under [documents.{code}])", code)
            if code in seen:
                raise self.fail(where, key, f"代码 {code} 重复", f"{code} is listed twice", code)
            seen.append(code)
        return tuple(seen)

    def catalogue(self, doc: dict[str, Any]) -> ClaimCatalogue:
        self.no_unknown(doc, (), ("version", "documents", "questions", "types"))
        version = doc.get("version")
        if not isinstance(version, str) or not version.strip() or len(version) > 40:
            raise self.fail((), "version", "缺少目录版本 version（最多 40 个字符）",
                            "version must be text of at most 40 characters")
        documents = self.documents(self.table(doc.get("documents", {}), (), "documents"))
        questions = self.questions(self.table(doc.get("questions", {}), (), "questions"))
        types_table = self.table(doc.get("types", {}), (), "types")
        if not types_table:
            raise self.fail((), "types", "至少需要一种理赔类型",
                            "at least one claim type is needed")
        types = {code: self.claim_type(code, raw, documents, questions)
                 for code, raw in types_table.items()}
        return ClaimCatalogue(version=version, source=self.source, text=self.text,
                              documents=documents, questions=questions, types=types)

    def documents(self, table: dict[str, Any]) -> dict[str, ClaimDocument]:
        out: dict[str, ClaimDocument] = {}
        for code, raw in table.items():
            where = ("documents", code)
            if not _DOCUMENT_CODE.match(code):
                raise self.fail(where, None, f"资料代码 {code} 应为大写字母、数字和下划线",
                                f"document code {code!r} must be UPPER_CASE")
            raw = self.table(raw, where)
            self.no_unknown(raw, where, ("name_zh", "name_en", "original", "hint_zh", "hint_en"))
            out[code] = ClaimDocument(
                code=code, name_zh=self.text_field(raw, where, "name_zh"),
                name_en=self.text_field(raw, where, "name_en"),
                original=self.mark(raw.get("original"), where, "original"),
                hint_zh=self.text_field(raw, where, "hint_zh"),
                hint_en=self.text_field(raw, where, "hint_en"))
        return out

    def questions(self, table: dict[str, Any]) -> dict[str, ClaimQuestion]:
        out: dict[str, ClaimQuestion] = {}
        for code, raw in table.items():
            where = ("questions", code)
            if not _LOWER_CODE.match(code):
                raise self.fail(where, None, f"问题代码 {code} 应为小写字母、数字和下划线",
                                f"question code {code!r} must be lower_case")
            raw = self.table(raw, where)
            self.no_unknown(raw, where, ("text_zh", "text_en"))
            out[code] = ClaimQuestion(code=code, text_zh=self.text_field(raw, where, "text_zh"),
                                      text_en=self.text_field(raw, where, "text_en"))
        return out

    def claim_type(self, code: str, raw: Any, documents: Mapping[str, ClaimDocument],
                   questions: Mapping[str, ClaimQuestion]) -> ClaimType:
        where = ("types", code)
        if not _LOWER_CODE.match(code):
            raise self.fail(where, None, f"理赔类型代码 {code} 应为小写字母、数字和下划线",
                            f"claim type code {code!r} must be lower_case")
        raw = self.table(raw, where)
        self.no_unknown(raw, where, ("name_zh", "name_en", "documents", "originals", "questions"))
        base = self.codes(raw.get("documents"), where, "documents", documents)
        if not base:
            raise self.fail(where, "documents", "资料清单不能为空", "documents must not be empty")
        originals = self.overrides(raw.get("originals", {}), where, "originals", base)
        effects: dict[str, QuestionEffect] = {}
        q_where = (*where, "questions")
        for q_code, effect in self.table(raw.get("questions", {}), where, "questions").items():
            if q_code not in questions:
                raise self.fail(q_where, q_code, f"未知问题代码 {q_code}",
                                f"unknown question code {q_code!r} "
                                f"(define it under [questions.{q_code}])")
            effects[q_code] = self.effect(effect, q_where, q_code, base, documents)
        return ClaimType(code=code, name_zh=self.text_field(raw, where, "name_zh"),
                         name_en=self.text_field(raw, where, "name_en"), documents=base,
                         originals=originals, questions=effects)

    def overrides(self, value: Any, where: tuple[str, ...], key: str,
                  allowed: tuple[str, ...]) -> dict[str, str]:
        table = self.table(value, where, key)
        out: dict[str, str] = {}
        for code, mark in table.items():
            if code not in allowed:
                raise self.fail(where, key, f"{code} 不在该类型的资料清单中，不能改原件标记",
                                f"{code} is not among this claim type's documents", code)
            out[code] = self.mark(mark, where, key, code)
        return out

    def effect(self, value: Any, where: tuple[str, ...], key: str, base: tuple[str, ...],
               documents: Mapping[str, ClaimDocument]) -> QuestionEffect:
        if isinstance(value, list):  # shorthand: a list of documents added
            value = {"adds": value}
        table = self.table(value, where, key)
        self.no_unknown(table, (*where, key), ("adds", "drops", "originals"))
        adds = self.codes(table.get("adds", []), where, key, documents)
        drops = self.codes(table.get("drops", []), where, key, documents)
        for code in drops:
            if code not in base:
                raise self.fail(where, key, f"{code} 不在基本资料中，不能去掉",
                                f"{code} is dropped but is not a base document", code)
        originals = self.overrides(table.get("originals", {}), where, key, (*base, *adds))
        if not (adds or drops or originals):
            raise self.fail(where, key, "问题没有任何作用", "the answer changes nothing")
        return QuestionEffect(adds=adds, drops=drops, originals=originals)


__all__ = [
    "MARKS",
    "SHIPPED_SOURCE",
    "ClaimCatalogue",
    "ClaimDocument",
    "ClaimQuestion",
    "ClaimType",
    "QuestionEffect",
    "line_of",
    "load_catalogue_file",
    "parse_catalogue",
    "shipped_text",
]
