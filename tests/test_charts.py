"""Static SVG charts: one bar per month, readable titles, nothing that runs."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from generator.charts import papers_per_month

SVG = "{http://www.w3.org/2000/svg}"


def test_one_bar_per_month_from_first_to_last_with_counts_in_titles():
    days = [dt.date(2024, 11, 3), dt.date(2024, 11, 20), dt.date(2025, 2, 1)]
    svg = ET.fromstring(str(papers_per_month(days)).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))
    titles = [rect.find(f"{SVG}title").text for rect in svg.iter(f"{SVG}rect")]
    assert titles == ["Nov 2024: 2 papers", "Dec 2024: 0 papers", "Jan 2025: 0 papers", "Feb 2025: 1 paper"]
    heights = [int(rect.get("height")) for rect in svg.iter(f"{SVG}rect")]
    assert heights[0] == 2 * heights[3] and heights[1] == heights[2] == 1
    assert svg.get("fill") == "currentColor"
    assert "script" not in str(papers_per_month(days)).lower()


def test_no_dates_no_chart():
    assert str(papers_per_month([])) == ""
