"""Stage 1: dump files → entries.

A dump is the text of a paper-listing page saved from a browser. Three layouts are known: title and
abstract on alternating lines; the same separated by blank lines under a page date; and "rich" entries
whose abstract is followed by an optional organisation line, ``• N authors``, ``·`` and a publish date
with an optional year and upvote count. Each line is first classified on its own
(furniture, metadata, date, or text); then the roles of the text lines (title, abstract, continuation,
organisation) are decided for the whole file at once by the structure of an entry (``assign_roles``), so
alternation and metadata outweigh how a single line looks, and a file that mixes layouts still reads.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.ingest.text import sentence_marks
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
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

ABSTRACT_MIN_CHARS = 250
"""Longer than any title seen on listing pages; a line this long is read as an abstract."""
ORGANIZATION_MAX_CHARS = 80
CAPITALS_WORDS = 30
"""The share of capitalised words is read from a line's first words."""
TITLE_MAX_CHARS = 150
"""Titles are rarely longer; each 25 characters more count against reading a line as one."""


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
    return len(text) >= 80 and sentence_marks(text) >= 2


def looks_like_organization(text: str) -> bool:
    return len(text) <= ORGANIZATION_MAX_CHARS and not sentence_marks(text)


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


class Role(enum.IntEnum):
    """What a line is to the entry it belongs to."""

    TITLE = 0
    ABSTRACT = 1
    MORE = 2
    """A further line of the abstract (a wrapped abstract in a blank-separated dump)."""
    ORGANIZATION = 3
    METADATA = 4
    """Author count, separator or publish date."""
    PAGE_DATE = 5
    FURNITURE = 6


class _State(enum.IntEnum):
    """Where the entry being read stands, after a line."""

    NONE = 0
    TITLED = 1
    """A title, no abstract yet."""
    WHOLE = 2
    """An abstract (with its title, or without one)."""
    ORGANIZATION = 3
    """An organisation line: metadata must follow."""
    METADATA = 4
    OPEN = 5
    """An abstract that began after a blank line: in a blank-separated entry, the lines that follow it
    with no blank between may continue it (a wrapped paragraph). An abstract in a plain run of lines
    never takes the next line, so a mixed file does not let a plain section's lines run together."""


MISSING_ABSTRACT = -10.0
"""Score of an entry closed without an abstract: the structure gives way only for strong evidence."""
MISSING_TITLE = -10.0
"""Score of an abstract with no title before it."""
MORE_COST = -3.0
"""A line joined to the abstract before it costs this much beyond its abstract evidence, so that only an
abstract-like line continues one (a short line, under 80 characters, twice as much)."""
ORGANIZATION_COST = -1.0
"""The organisation line is optional: it is read as one only where nothing else fits as well."""
_IMPOSSIBLE = float("-inf")


def line_scores(text: str) -> tuple[float, float]:
    """How well a line reads as a title and as an abstract (higher is better; 0 is neutral). Titles are
    short, capitalise their words and hold at most a sentence break or two ("3D Simulation. II.
    Evaluation"); abstracts are sentences, end like one, and are rarely under 40 characters. This is only
    evidence: the structure of the dump (alternation, blank lines, metadata) decides together with it."""
    length = len(text)
    sentences = sentence_marks(text)
    ends_like_sentence = text.endswith((".", "!", "?", ")"))
    first_words = text.split(maxsplit=CAPITALS_WORDS)[:CAPITALS_WORDS]
    long_words = [w for w in first_words if len(w) > 3 and w[0].isalpha()]
    capitals = sum(w[0].isupper() for w in long_words) / len(long_words) if len(long_words) >= 3 else 0.5
    title = (4.0 * (capitals - 0.5) - max(0, length - TITLE_MAX_CHARS) / 15 - 2.0 * max(0, sentences - 2)
             - (1.0 if ends_like_sentence and sentences >= 2 else 0.0))
    abstract = (-8.0 if length < 40 else -2.0 if length < 80 else 3.0 if length >= ABSTRACT_MIN_CHARS else 0.0)
    abstract += min(sentences, 4) + (1.5 if ends_like_sentence else -1.5) - 4.0 * (capitals - 0.5)
    return title, abstract


def assign_roles(lines: list[Line]) -> list[Role]:
    """The role of every line, chosen for the whole dump at once (Viterbi over the entry grammar): an
    entry is a title, an abstract (continued by further lines only in a blank-separated dump, where a
    continuation has no blank line before it), an optional organisation line right before its metadata,
    and metadata. A title without an abstract, or an abstract without a title, is allowed at a high cost,
    so alternation and metadata decide, and how a single line looks decides only where they do not."""
    fixed = _fixed_roles(lines)
    next_is_metadata = _next_is_metadata(lines, fixed)
    scores = [0.0] + [_IMPOSSIBLE] * (_STATES - 1)
    back: list[list[tuple[int, Role]]] = []
    for index, line in enumerate(lines):
        moves = _moves(line, fixed[index], next_is_metadata[index])
        new = [_IMPOSSIBLE] * _STATES
        came = [(0, Role.FURNITURE)] * _STATES
        for state, score in enumerate(scores):
            if score == _IMPOSSIBLE:
                continue
            for role, target, gain in moves[state]:
                if score + gain > new[target]:
                    new[target], came[target] = score + gain, (state, role)
        scores = new
        back.append(came)
    scores[_TITLED] += MISSING_ABSTRACT
    scores[_ORGANIZATION] = _IMPOSSIBLE
    state = max(range(_STATES), key=lambda s: (scores[s], -s))
    roles: list[Role] = []
    for came in reversed(back):
        state, role = came[state]
        roles.append(role)
    return roles[::-1]


def _fixed_roles(lines: list[Line]) -> list[Role | None]:
    """Roles that a line's own kind settles: furniture, metadata and page dates (a date is a publish
    date when it carries upvotes or follows a separator)."""
    roles: list[Role | None] = []
    previous: Line | None = None
    for line in lines:
        if line.kind is Kind.FURNITURE:
            roles.append(Role.FURNITURE)
            continue
        if line.kind in (Kind.AUTHORS, Kind.SEPARATOR):
            roles.append(Role.METADATA)
        elif line.kind is Kind.DATE:
            publish = line.upvotes is not None or (previous is not None and previous.kind is Kind.SEPARATOR)
            roles.append(Role.METADATA if publish else Role.PAGE_DATE)
        else:
            roles.append(None)
        previous = line
    return roles


def _next_is_metadata(lines: list[Line], fixed: list[Role | None]) -> list[bool]:
    """For each line, whether the next line that is not furniture is an author count or a separator."""
    result = [False] * len(lines)
    following: Kind | None = None
    for index in range(len(lines) - 1, -1, -1):
        result[index] = following in (Kind.AUTHORS, Kind.SEPARATOR)
        if fixed[index] is not Role.FURNITURE:
            following = lines[index].kind
    return result


Moves = list[list[tuple[Role, int, float]]]
"""For each state before a line: (role, state after, score) of every way to read the line."""
_NONE, _TITLED, _WHOLE, _ORGANIZATION, _METADATA, _OPEN = (int(state) for state in _State)
_STATES = len(_State)
_FIXED_MOVES: dict[Role, Moves] = {
    Role.FURNITURE: [[(Role.FURNITURE, state, 0.0)] for state in range(_STATES)],
    Role.PAGE_DATE: [[(Role.PAGE_DATE, _NONE, MISSING_ABSTRACT if state == _TITLED else 0.0)]
                     if state != _ORGANIZATION else [] for state in range(_STATES)],
    Role.METADATA: [[(Role.METADATA, _NONE if state == _NONE else _METADATA,
                      MISSING_ABSTRACT if state == _TITLED else 0.0)] for state in range(_STATES)],
}


def _moves(line: Line, fixed: Role | None, before_metadata: bool) -> Moves:
    if fixed is not None:
        return _FIXED_MOVES[fixed]
    as_title, as_abstract = line_scores(line.text)
    read = _OPEN if line.after_blank else _WHOLE
    title, abstract = (Role.TITLE, _TITLED, as_title), (Role.ABSTRACT, read, as_abstract + MISSING_TITLE)
    whole = [title, abstract]
    if before_metadata and looks_like_organization(line.text):
        whole.append((Role.ORGANIZATION, _ORGANIZATION, ORGANIZATION_COST))
    open_ = list(whole)
    if not line.after_blank:
        open_.append((Role.MORE, _OPEN, as_abstract + MORE_COST * (2 if len(line.text) < 80 else 1)))
    return [[title, abstract],
            [(Role.TITLE, _TITLED, as_title + MISSING_ABSTRACT), (Role.ABSTRACT, read, as_abstract)],
            whole, [], [title, abstract], open_]


class _Assembler:
    """Turns lines and their roles into entries, reporting what does not fit."""

    def __init__(self, path: Path, lines: list[Line]) -> None:
        self.path = path
        self.lines = lines
        self.entries: list[Entry] = []
        self.problems: list[Problem] = []
        self.current: Entry | None = None
        self.page_date: PartialDate | None = None
        self.header_date: PartialDate | None = None
        self.header_line = 0

    def run(self) -> Dump:
        for line, role in zip(self.lines, assign_roles(self.lines), strict=True):
            self._take(line, role)
        self._finish()
        return Dump(self.path, self.entries, self.problems, self.header_date, self.header_line)

    def _take(self, line: Line, role: Role) -> None:
        if role is Role.TITLE:
            self._finish()
            self.current = Entry(title=line.text, abstract="", path=self.path, line=line.number,
                                 page_date=self.page_date)
        elif role is Role.ABSTRACT:
            if self.current is None or self.current.abstract:
                self._finish()
                self._problem(line, "abstract without a title; kept as an untitled paper")
                self.current = Entry(title="", abstract=line.text, path=self.path, line=line.number,
                                     page_date=self.page_date)
            else:
                self.current.abstract = line.text
        elif role is Role.MORE:
            self.current.abstract = f"{self.current.abstract} {line.text}"
        elif role is Role.ORGANIZATION:
            self.current.organization = organization_name(line.text)
        elif role is Role.METADATA:
            self._take_metadata(line)
        elif role is Role.PAGE_DATE:
            self._finish()
            self.page_date = line.date
            if self.header_date is None:
                self.header_date, self.header_line = line.date, line.number

    def _take_metadata(self, line: Line) -> None:
        what = {Kind.AUTHORS: "author count", Kind.SEPARATOR: "separator '·'"}.get(line.kind, "publish date")
        if self.current is None:
            self._problem(line, f"{what} with no paper before it; ignored")
        elif line.kind is Kind.AUTHORS:
            self.current.authors_count = line.authors
        elif line.kind is Kind.DATE:
            self.current.published = line.date
            self.current.published_line = line.number
            self.current.upvotes = line.upvotes

    def _finish(self) -> None:
        if self.current is None:
            return
        if not self.current.abstract:
            self.problems.append(Problem(self.path, self.current.line, "title without an abstract; kept"))
        self.entries.append(self.current)
        self.current = None

    def _problem(self, line: Line, message: str) -> None:
        self.problems.append(Problem(self.path, line.number, message))
