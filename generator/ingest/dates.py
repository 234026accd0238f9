"""Stage 2: give every entry its digest day and publish date.

Dumps often write dates without a year ("Mar 14", "Sep 26 4"). A dump's own date is taken, in order,
from the configuration (``dump_dates``), a YYYY-MM-DD in its file name, a page header with a year, or a
page header plus ``default_year``. A year-less date is placed in the year that puts it closest before
that reference date; with only ``default_year`` known it goes in that year. A dump with no date at all
lists its papers under "Undated".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from generator.config import DigestConfig
from generator.records import Dump, Entry, PartialDate, Problem

_ISO_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
HOW_TO_DATE = ("Give the dump a date: a YYYY-MM-DD in its file name, or dump_dates or default_year "
               "in the digest configuration")
LOOKAHEAD = dt.timedelta(days=7)
"""How far after its reference date a year-less date may fall (time zones, late page headers)."""


@dataclass(frozen=True)
class DumpDating:
    """How one dump's dates are resolved, and why (for the build log)."""

    date: dt.date | None
    reference: dt.date | None
    default_year: int | None
    rule: str
    declared: bool = False
    """The date was declared for the dump (``dump_dates`` or its file name): it overrides the date its
    page header shows, while date lines further down the page still date the entries after them."""


def date_entries(dumps: list[Dump], config: DigestConfig) -> tuple[list[Entry], list[str], list[Problem]]:
    """Entries of all dumps with ``digest_date`` and ``published_date`` set, plus one log line per dump."""
    entries, log, problems = [], [], []
    for dump in dumps:
        dating = date_dump(dump, config)
        log.append(f"{dump.path}: {dating.rule}")
        page_days = _page_days(dump, dating, problems)
        overridden = dump.header_date if dating.declared else None
        for entry in dump.entries:
            own_date = entry.page_date and entry.page_date != overridden
            digest_date = page_days[entry.page_date] if own_date else dating.date
            published, written = None, None
            if entry.published is not None:
                published = resolve(entry.published, digest_date or dating.reference, dating.default_year)
                if published is None:
                    exists = _exists(entry.published)
                    written = _written(entry.published) if exists else None
                    problems.append(_unresolved(entry.path, entry.published_line or entry.line, entry.published,
                                                "publish date",
                                                "shown as written, year unknown" if exists else "left unknown"))
            entries.append(dataclasses.replace(entry, digest_date=digest_date, published_date=published,
                                               published_text=written))
    return entries, log, problems


def _page_days(dump: Dump, dating: DumpDating, problems: list[Problem]) -> dict[PartialDate, dt.date | None]:
    """Each distinct page date of the dump resolved once; one problem per date that cannot be."""
    days: dict[PartialDate, dt.date | None] = {}
    for entry in dump.entries:
        page_date = entry.page_date
        if page_date is None or page_date in days or (dating.declared and page_date == dump.header_date):
            continue
        days[page_date] = resolve(page_date, dating.reference, dating.default_year)
        if days[page_date] is None:
            line = dump.header_line if page_date == dump.header_date else entry.line
            problems.append(_unresolved(dump.path, line, page_date, "page date", "listed as Undated"))
    return days


def date_dump(dump: Dump, config: DigestConfig) -> DumpDating:
    name = dump.path.name
    if name in config.dump_dates:
        day = config.dump_dates[name]
        rule = f"dated {day} by dump_dates in the configuration"
        return DumpDating(day, day, config.default_year, rule, declared=True)
    if (match := _ISO_IN_NAME.search(name)) and (day := _valid(*map(int, match.groups()))):
        return DumpDating(day, day, config.default_year, f"dated {day} by its file name", declared=True)
    header = dump.header_date
    if header is not None:
        year = header.year if header.year is not None else config.default_year
        day = _valid(year, header.month, header.day)
        if day is not None:
            how = "" if header.year is not None else ", year from default_year"
            rule = f"dated {day} by its page header on line {dump.header_line}{how}"
            return DumpDating(day, day, config.default_year, rule)
    rule = "no date found; its papers are listed as Undated"
    if config.default_year is not None:
        rule += f" (dates without a year are put in {config.default_year}, the default_year)"
    return DumpDating(None, None, config.default_year, rule)


def resolve(date: PartialDate, reference: dt.date | None, default_year: int | None) -> dt.date | None:
    """The full date a dump means by ``date``, or None when it cannot be known or does not exist."""
    if date.year is not None:
        return _valid(date.year, date.month, date.day)
    if reference is None:
        return _valid(default_year, date.month, date.day) if default_year is not None else None
    latest = reference + LOOKAHEAD
    for year in range(reference.year + 1, reference.year - 5, -1):
        candidate = _valid(year, date.month, date.day)
        if candidate is not None and candidate <= latest:
            return candidate
    return None


def _exists(date: PartialDate) -> bool:
    """The date exists in its year, or (without one) in some year: Feb 29 does, Feb 30 does not."""
    return _valid(date.year or 2000, date.month, date.day) is not None


def _unresolved(path: Path, line: int, date: PartialDate, what: str, outcome: str) -> Problem:
    if date.year or not _exists(date):
        return Problem(path, line, f"{what} {_written(date)} does not exist; {outcome}")
    return Problem(path, line, f"{what} {_written(date)} has no year; {outcome}. {HOW_TO_DATE}")


def _written(date: PartialDate) -> str:
    month = dt.date(2000, date.month, 1).strftime("%b")
    return f"{month} {date.day}" + (f", {date.year}" if date.year else "")


def _valid(year: int | None, month: int, day: int) -> dt.date | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
