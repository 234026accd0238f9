"""How days, weeks and months are written on pages and in charts: one format each."""

from __future__ import annotations

import datetime as dt


def format_day(day: dt.date | None) -> str:
    """"Fri 14 Mar 2025"; "Undated" for papers from dumps without a date."""
    return f"{day:%a} {day.day} {day:%b %Y}" if day else "Undated"


def month_label(year: int, month: int) -> str:
    """"March 2025"."""
    return dt.date(year, month, 1).strftime("%B %Y")


def short_month_label(year: int, month: int) -> str:
    """"Mar 2025", where room is short (chart axes)."""
    return dt.date(year, month, 1).strftime("%b %Y")


def week_label(week: tuple[int, int]) -> str:
    """An ISO week (year, number) as "Week 11 of 2024 (11–17 March)"."""
    first = dt.date.fromisocalendar(week[0], week[1], 1)
    last = first + dt.timedelta(days=6)
    span = (f"{first.day}–{last.day} {last:%B}" if first.month == last.month
            else f"{first.day} {first:%B} – {last.day} {last:%B}")
    return f"Week {week[1]} of {week[0]} ({span})"
