"""How counts, days, weeks and months are written on pages and in charts: one format each."""

from __future__ import annotations

import datetime as dt

from generator.records import Week


def plural(count: int, noun: str) -> str:
    """"1 paper", "3 papers"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_day(day: dt.date | None) -> str:
    """"Fri 14 Mar 2025"; "Undated" for papers from dumps without a date."""
    return f"{day:%a} {day.day} {day:%b %Y}" if day else "Undated"


def month_label(year: int, month: int) -> str:
    """"March 2025"."""
    return dt.date(year, month, 1).strftime("%B %Y")


def short_month_label(year: int, month: int) -> str:
    """"Mar 2025", where room is short (chart axes)."""
    return dt.date(year, month, 1).strftime("%b %Y")


def week_label(week: Week) -> str:
    """"Week 11 of 2024 (11–17 March)"."""
    first, last = week.first, week.last
    span = (f"{first.day}–{last.day} {last:%B}" if first.month == last.month
            else f"{first.day} {first:%B} – {last.day} {last:%B}")
    return f"Week {week.number} of {week.year} ({span})"
