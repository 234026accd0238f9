"""How days and months are written on pages and in charts: one format each."""

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
