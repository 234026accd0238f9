"""Stage 1: dump files → entries.

A dump is the text of a paper-listing page saved from a browser. Three layouts are known: title and
abstract on alternating lines; the same separated by blank lines under a page date; and "rich" entries
whose abstract is followed by an optional organisation line, ``• N authors``, ``·`` and a publish date
with an optional year and upvote count. Layouts are not detected up front: every line is classified on
its own, so a file that mixes them still reads.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.records import Dump, Entry, PartialDate, Problem

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

PAGE_FURNITURE = frozenset(
    {
        "new", "Subscribe", "Daily Papers", "Trending Papers", "byAK and the research community",
        "Get trending papers in your email inbox!", "Get trending papers in your email inbox once a day!",
        "Previous", "Next", "Load more", "Submit paper", "Search", "Search papers",
    }
)
"""Lines of the listing page around the papers. They also occur glued to the next line (a copied
button followed by the first title), so a long one is stripped from a line's start as well."""

_GLUABLE = sorted((f for f in PAGE_FURNITURE if len(f) >= 6), key=len, reverse=True)

_DATE = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.? (?P<day>\d{1,2})(?:, ?(?P<year>\d{4}))?(?: (?P<upvotes>\d+(?:\.\d+)?[kK]?))?"
)
_AUTHORS = re.compile(r"(?:[•·*-]\s*)?(?P<count>\d+) authors?")
_SEPARATORS = frozenset({"·", "•", "-"})
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

ABSTRACT_MIN_CHARS = 250
"""Longer than any title seen on listing pages; a line this long is read as an abstract."""
ORGANIZATION_MAX_CHARS = 80


class Kind(enum.Enum):
    TEXT = "text"
    FURNITURE = "furniture"
    DATE = "date"
    AUTHORS = "authors"
    SEPARATOR = "separator"


@dataclass(frozen=True)
class Line:
    number: int
    kind: Kind
    text: str
    after_blank: bool
    date: PartialDate | None = None
    upvotes: int | None = None
    authors: int | None = None


def read_dumps(paths: Iterable[Path]) -> tuple[list[Dump], list[Problem]]:
    """Parse every ``.txt`` dump under ``paths`` (files or folders), in a stable order."""
    files, problems = find_dump_files(paths)
    return [parse_dump(f) for f in files], problems


def find_dump_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    files: set[Path] = set()
    problems = []
    for path in paths:
        if path.is_dir():
            files.update(p for p in path.rglob("*.txt") if p.is_file())
        elif path.is_file():
            files.add(path)
        else:
            problems.append(Problem(path, 0, "no such dump file or folder"))
    return sorted(files), problems


def parse_dump(path: Path) -> Dump:
    text, problems = decode_dump(path, path.read_bytes())
    dump = parse_text(text, path)
    dump.problems[:0] = problems
    if not dump.entries_read:
        line = dump.header_line or 1
        dump.problems.append(Problem(path, line, "no papers found in this file" + (
            " (only a page header)" if dump.header_date else " (it is empty)" if not text.strip() else "")))
    return dump


def decode_dump(path: Path, data: bytes) -> tuple[str, list[Problem]]:
    """The dump's text, line by line: UTF-8 (with or without BOM), else Windows-1252, the usual encoding
    of text saved on Windows (its few undefined bytes become �). Line ends may be LF, CRLF or CR. Control
    characters other than tab are dropped. Each kind of damage is reported once, at its first line, with
    the number of lines affected."""
    lines, not_utf8, controls = [], [], []
    if b"\n" not in data:
        data = data.replace(b"\r", b"\n")
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("cp1252", errors="replace")
            not_utf8.append(number)
        line = line.removesuffix("\r").replace("\r", " ")
        cleaned = _CONTROL.sub("", line)
        if cleaned != line:
            controls.append(number)
        lines.append(cleaned)
    problems = [_damage(path, not_utf8, "text that is not UTF-8, read as Windows-1252"),
                _damage(path, controls, "control characters (binary data?), dropped")]
    return "\n".join(lines), [p for p in problems if p]


def _damage(path: Path, numbers: list[int], what: str) -> Problem | None:
    if not numbers:
        return None
    more = f", and on {len(numbers) - 1} more lines" if len(numbers) > 1 else ""
    return Problem(path, numbers[0], f"{what}{more}")


def parse_text(text: str, path: Path) -> Dump:
    return _Assembler(path, classify_lines(text)).run()


def classify_lines(text: str) -> list[Line]:
    """Lines split at line feeds only (a stray form feed or U+2028 inside a line does not split it)."""
    lines = []
    after_blank = False
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = " ".join(raw.split())
        if not stripped:
            after_blank = True
            continue
        lines.append(_classify(number, stripped, after_blank))
        after_blank = False
    return lines


def _classify(number: int, text: str, after_blank: bool) -> Line:
    if text in PAGE_FURNITURE:
        return Line(number, Kind.FURNITURE, text, after_blank)
    if text in _SEPARATORS:
        return Line(number, Kind.SEPARATOR, text, after_blank)
    if match := _AUTHORS.fullmatch(text):
        return Line(number, Kind.AUTHORS, text, after_blank, authors=int(match["count"]))
    if (match := _DATE.fullmatch(text)) and match["month"].lower() in MONTHS:
        date = PartialDate(MONTHS[match["month"].lower()], int(match["day"]), _int(match["year"]))
        return Line(number, Kind.DATE, text, after_blank, date=date, upvotes=parse_upvotes(match["upvotes"]))
    for furniture in _GLUABLE:
        rest = text[len(furniture):]
        if text.startswith(furniture) and (rest[:1].isupper() or rest[:1].isdigit()):
            return Line(number, Kind.TEXT, rest.strip(), after_blank)
    return Line(number, Kind.TEXT, text, after_blank)


def parse_upvotes(text: str | None) -> int | None:
    if not text:
        return None
    if text[-1] in "kK":
        return round(float(text[:-1]) * 1000)
    return int(float(text))


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def looks_like_abstract(text: str) -> bool:
    if len(text) >= ABSTRACT_MIN_CHARS:
        return True
    return len(text) >= 80 and len(_SENTENCE_END.findall(text)) >= 2


def looks_like_organization(text: str) -> bool:
    return len(text) <= ORGANIZATION_MAX_CHARS and not _SENTENCE_END.search(text)


def organization_name(text: str) -> str:
    """The organisation's name from its line. A listing writes the organisation's account name (the alt
    text of its avatar) before its name, "nvidia NVIDIA", "aiforscience AI for Science Lab"; the account
    name is dropped when its letters and the name's begin alike. Where they do not, the line stays whole
    ("deepmind Google DeepMind"): better an extra word than a lost one."""
    account, _, name = text.partition(" ")
    letters = re.sub(r"[\W_]+", "", account).lower()
    name_letters = re.sub(r"[\W_]+", "", name).lower()
    alike = name_letters.startswith(letters) or letters.startswith(name_letters)
    if len(letters) >= 2 and name_letters and alike:
        return name.strip()
    return text


class _Assembler:
    """Walks classified lines and groups them into entries, reporting what does not fit."""

    def __init__(self, path: Path, lines: list[Line]) -> None:
        self.path = path
        self.lines = lines
        self.entries: list[Entry] = []
        self.problems: list[Problem] = []
        self.skipped: list[Problem] = []
        self.current: Entry | None = None
        self.page_date: PartialDate | None = None
        self.header_date: PartialDate | None = None
        self.header_line = 0
        self.blank_separated = any(line.after_blank for line in lines if line.kind is Kind.TEXT)

    def run(self) -> Dump:
        previous: Line | None = None
        for index, line in enumerate(self.lines):
            self._take(index, line, previous)
            previous = line
        self._finish()
        return Dump(self.path, self.entries, self.problems, self.header_date, self.header_line, self.skipped)

    def _take(self, index: int, line: Line, previous: Line | None) -> None:
        if line.kind is Kind.FURNITURE:
            return
        if line.kind is Kind.SEPARATOR:
            self._need_entry(line, "separator '·'")
        elif line.kind is Kind.AUTHORS:
            if self._need_entry(line, "author count"):
                self.current.authors_count = line.authors
        elif line.kind is Kind.DATE:
            self._take_date(line, previous)
        else:
            self._take_text(index, line)

    def _take_date(self, line: Line, previous: Line | None) -> None:
        is_publish_date = line.upvotes is not None or (previous is not None and previous.kind is Kind.SEPARATOR)
        if is_publish_date:
            if self._need_entry(line, "publish date"):
                self.current.published = line.date
                self.current.published_line = line.number
                self.current.upvotes = line.upvotes
            return
        self._finish()
        self.page_date = line.date
        if self.header_date is None:
            self.header_date, self.header_line = line.date, line.number

    def _take_text(self, index: int, line: Line) -> None:
        current = self.current
        following = self._next(index)
        metadata_follows = following is not None and following.kind in (Kind.AUTHORS, Kind.SEPARATOR)
        if current is not None and metadata_follows and looks_like_organization(line.text):
            current.organization = organization_name(line.text)
            return
        if current is not None and not current.abstract:
            title_follows = following is not None and following.kind is Kind.TEXT
            if looks_like_abstract(line.text) or not (title_follows and looks_like_abstract(following.text)):
                current.abstract = line.text
                return
        elif current is not None and self._continues_abstract(line):
            current.abstract = f"{current.abstract} {line.text}"
            return
        self._finish()
        if looks_like_abstract(line.text):
            self._skip(line, "abstract without a title")
            return
        self.current = Entry(title=line.text, abstract="", path=self.path, line=line.number,
                             page_date=self.page_date)

    def _continues_abstract(self, line: Line) -> bool:
        """A wrapped abstract: in a blank-separated dump, a long line with no blank line before it."""
        return self.blank_separated and not line.after_blank and looks_like_abstract(line.text)

    def _next(self, index: int) -> Line | None:
        for following in range(index + 1, len(self.lines)):
            if self.lines[following].kind is not Kind.FURNITURE:
                return self.lines[following]
        return None

    def _need_entry(self, line: Line, what: str) -> bool:
        if self.current is None:
            self._problem(line, f"{what} with no paper before it; ignored")
            return False
        return True

    def _finish(self) -> None:
        if self.current is None:
            return
        if not self.current.abstract:
            self.problems.append(Problem(self.path, self.current.line, "title without an abstract; kept"))
        self.entries.append(self.current)
        self.current = None

    def _skip(self, line: Line, reason: str) -> None:
        skipped = Problem(self.path, line.number, f"{reason}; skipped")
        self.skipped.append(skipped)
        self.problems.append(skipped)

    def _problem(self, line: Line, message: str) -> None:
        self.problems.append(Problem(self.path, line.number, message))
