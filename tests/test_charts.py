"""Static SVG charts: one bar per month, readable titles, nothing that runs."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from generator.publish.charts import papers_per_day, papers_per_month, upvote_history

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


def _svg(markup) -> ET.Element:
    return ET.fromstring(str(markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def test_calendar_has_a_cell_per_day_from_first_to_last_darker_for_more_papers():
    counts = {dt.date(2025, 3, 3): 1, dt.date(2025, 3, 5): 9, dt.date(2025, 3, 18): 4}
    svg = _svg(papers_per_day(counts))
    cells = list(svg.iter(f"{SVG}rect"))
    assert len(cells) == 16, "3 to 18 March"
    titles = {rect.find(f"{SVG}title").text: float(rect.get("opacity")) for rect in cells}
    assert titles["Wed 5 Mar 2025: 9 papers"] == 1.0
    assert titles["Mon 3 Mar 2025: 1 paper"] < titles["Tue 18 Mar 2025: 4 papers"] < 1.0
    assert titles["Tue 4 Mar 2025: 0 papers"] == min(titles.values())
    ys = {rect.find(f"{SVG}title").text[:3]: rect.get("y") for rect in cells}
    assert len(set(ys.values())) == 7 and ys["Mon"] < ys["Sun"], "a row per weekday, Monday first"
    assert svg.get("fill") == "currentColor" and "script" not in str(papers_per_day(counts)).lower()
    assert str(papers_per_day({})) == ""


def test_upvote_history_needs_two_days_and_titles_each_point():
    assert str(upvote_history([(dt.date(2025, 3, 3), 5)])) == ""
    svg = _svg(upvote_history([(dt.date(2025, 3, 3), 5), (dt.date(2025, 3, 5), 12)]))
    assert [c.find(f"{SVG}title").text for c in svg.iter(f"{SVG}circle")] == [
        "Mon 3 Mar 2025: 5 upvotes", "Wed 5 Mar 2025: 12 upvotes"]
    assert svg.find(f"{SVG}polyline").get("stroke") == "currentColor"
