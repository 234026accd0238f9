"""Whole builds with the real model and a real MkDocs + Material build: the site a reader gets."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from html import escape as html_escape
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from mkdocs.exceptions import Abort

from bench.topic_measures import variant_pairs
from generator.analysis.engines.encoders import encoder_for, load_encoder
from generator.analysis.topics import content_key
from generator.cli import SiteFolderError, build_site
from generator.config import DigestConfig
from generator.ingest.text import display_segments

from .conftest import (
    EXAMPLE_DUMPS,
    EXAMPLE_SITE_URL,
    HOSTILE_DUMPS,
    REPO,
    SEED_COUNTS,
    exported_digest,
    make_project,
    raw_text,
)

pytestmark = pytest.mark.slow

PAPER_KEYS = {"id", "title", "abstract", "tldr", "code", "url", "keywords", "topics", "related", "digest_dates",
              "published", "authors_count", "upvotes", "organization", "sources"}
RAW_KEYS = {"title_raw", "abstract_raw"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PageText(HTMLParser):
    """Text and links of a built page's content area, with character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.links: list[str] = []
        self.abstract_tags: list[str] = []
        self._in_abstract = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if self.depth or "md-content" in classes:
            self.depth += 1
        if self._in_abstract:
            self._in_abstract += 1
            self.abstract_tags.append(tag)
        if "digest-abstract" in classes:
            self._in_abstract = 1
        if self.depth and tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
        if self._in_abstract:
            self._in_abstract -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def read_page(site: Path, url: str) -> PageText:
    parser = PageText()
    parser.feed((site / url / "index.html").read_text(encoding="utf-8"))
    return parser


def linked_urls(site: Path, url: str) -> set[str]:
    """Site-relative URLs linked from the page at ``url``."""
    base = f"http://site/{url}"
    return {urljoin(base, href).removeprefix("http://site/") for href in read_page(site, url).links
            if urljoin(base, href).startswith("http://site/")}


def test_papers_json_holds_605_papers_with_the_documented_fields(seeds_json):
    papers = seeds_json["papers"]
    assert len(papers) == 605
    assert all(PAPER_KEYS <= set(p) <= PAPER_KEYS | RAW_KEYS for p in papers)
    with_raw = [p for p in papers if RAW_KEYS & set(p)]
    assert with_raw, "the seeds hold LaTeX remnants, so some shown text differs from the dump's"
    assert all(p[f"{key}_raw"] != p[key] for p in with_raw for key in ("title", "abstract")
               if f"{key}_raw" in p)
    assert any("\\%" in p.get("abstract_raw", "") and "\\%" not in p["abstract"] for p in with_raw)
    topic_ids = {t["id"] for t in seeds_json["topics"]}
    for paper in papers:
        assert paper["keywords"], paper["title"]
        assert set(paper["topics"]) <= topic_ids
        assert all(d is None or ISO_DATE.fullmatch(d) for d in paper["digest_dates"])
    assert sum(len(p["sources"]) for p in papers) == 646
    assert {d["date"] for d in seeds_json["dates"]} == {"2024-03-14", "2024-03-12", "2024-10-28", None}


def test_every_paper_page_shows_its_exact_title_and_abstract_with_nothing_turned_into_markup(
        seeds_site, seeds_json):
    """Only web addresses become elements (links), on all 605 pages."""
    for paper in seeds_json["papers"]:
        page = read_page(seeds_site, paper["url"])
        text = "".join(page.text)
        assert paper["title"] in text
        assert paper["abstract"] in text
        links = [s for s in display_segments(raw_text(paper, "abstract")) if s.href]
        assert page.abstract_tags == ["p"] + ["a"] * len(links), paper["title"]
        assert all(phrase in text for phrase in paper["keywords"])


def test_markup_looking_text_reaches_the_page_as_text(seeds_site, seeds_json):
    tricky = [p for p in seeds_json["papers"] if "<EOS>" in p["abstract"] or "[MASK]" in p["abstract"]]
    assert tricky
    for paper in tricky:
        html = (seeds_site / paper["url"] / "index.html").read_text(encoding="utf-8")
        assert "<EOS>" not in html.split("<body", 1)[1]
        assert ("&lt;EOS&gt;" in html) or ("[MASK]" in html)


def test_seed_topics_are_distinct_specific_and_sized_and_most_papers_are_placed(seeds_site, seeds_json):
    topics = seeds_json["topics"]
    papers = seeds_json["papers"]
    placed = [p for p in papers if p["topics"]]
    assert len(placed) >= 0.9 * len(papers)
    assert 25 <= len(topics) <= 100
    assert all(3 <= len(t["papers"]) <= 0.12 * len(papers) for t in topics)
    labels = [t["label"] for t in topics]
    assert variant_pairs(labels) == []
    assert all(content_key(label) for label in labels), "no label made only of generic words"
    assert len({content_key(label) for label in labels}) == len(labels), "no two labels say the same"
    assert all(1 <= len(p["topics"]) <= 5 for p in placed)
    index = (seeds_site / "topics" / "index.html").read_text(encoding="utf-8")
    assert f"{len(papers) - len(placed)} papers in no topic</a>" in index
    assert "no-topic/" in linked_urls(seeds_site, "topics/")


def test_the_papers_in_no_topic_are_listed_with_their_keyphrases(seeds_site, seeds_json):
    unplaced = [p for p in seeds_json["papers"] if not p["topics"]]
    assert unplaced
    listed = {url for url in linked_urls(seeds_site, "no-topic/") if url.startswith("papers/")}
    assert listed == {f"papers/{p['id']}/" for p in unplaced}
    page = (seeds_site / "no-topic" / "index.html").read_text(encoding="utf-8")
    assert f"{len(unplaced)} papers of {len(seeds_json['papers'])}" in page
    assert all(html_escape(p["keywords"][0], quote=False) in page for p in unplaced if p["keywords"])


def test_every_topic_page_is_linked_from_the_topic_index_and_lists_its_papers(seeds_site, seeds_json):
    topics = seeds_json["topics"]
    assert topics
    from_index = linked_urls(seeds_site, "topics/")
    for topic in topics:
        assert topic["url"] in from_index
        listed = linked_urls(seeds_site, topic["url"])
        assert {f"papers/{pid}/" for pid in topic["papers"]} <= listed


def test_areas_group_every_topic_once_and_each_topic_page_links_its_area(seeds_site, seeds_json):
    areas, topics = seeds_json["areas"], seeds_json["topics"]
    assert round(len(topics) ** 0.5) == len(areas)
    assert sorted(t for area in areas for t in area["topics"]) == sorted(t["id"] for t in topics)
    assert len({area["label"].lower() for area in areas}) == len(areas)
    index = (seeds_site / "topics" / "index.html").read_text(encoding="utf-8")
    labels = {t["id"]: t["label"] for t in topics}
    for area in areas:
        section = index.split(f'id="area-{area["id"]}"')[1].split("<h2")[0]
        assert [html_escape(labels[t]) in section for t in area["topics"]] == [True] * len(area["topics"])
        assert f'href="#area-{area["id"]}"' in index
        for topic_id in area["topics"]:
            page = (seeds_site / "topics" / topic_id / "index.html").read_text(encoding="utf-8")
            assert f'href="../#area-{area["id"]}">{html_escape(area["label"])}</a>' in page


def test_topic_pages_show_defining_phrases_related_topics_and_a_month_chart(seeds_site, seeds_json):
    urls = {t["url"] for t in seeds_json["topics"]}
    dated = {p["id"] for p in seeds_json["papers"] if any(p["digest_dates"])}
    charts = 0
    for topic in seeds_json["topics"]:
        html = (seeds_site / topic["url"] / "index.html").read_text(encoding="utf-8")
        assert "Defined by" in html
        assert all(f'span class="digest-chip">{html_escape(label)}<' in html for label in topic["synonyms"])
        has_chart = '<svg class="digest-chart"' in html
        assert has_chart == bool(dated & set(topic["papers"])), topic["label"]
        charts += has_chart
        related = linked_urls(seeds_site, topic["url"]) & urls - {topic["url"]}
        assert related, topic["label"]
    assert charts > len(seeds_json["topics"]) / 2
    assert any(t["synonyms"] for t in seeds_json["topics"]), "near-synonyms merge on the seeds"


def test_every_date_page_is_linked_from_the_date_indexes(seeds_site, seeds_json):
    dates_index = linked_urls(seeds_site, "dates/")
    for day in seeds_json["dates"]:
        assert day["url"] in dates_index
        listed = linked_urls(seeds_site, day["url"])
        assert {f"papers/{pid}/" for pid in day["papers"]} <= listed
        if day["date"]:
            year, month, _ = day["date"].split("-")
            assert f"dates/{year}/" in dates_index
            assert day["url"] in linked_urls(seeds_site, f"dates/{year}/{month}/")
            assert f"dates/{year}/{month}/" in linked_urls(seeds_site, f"dates/{year}/")


def test_navigation_is_five_tabs_with_the_ways_to_browse_under_one_and_keeps_papers_out(seeds_site):
    html = (seeds_site / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(r'class="md-tabs__link[^"]*"[^>]*>\s*([^<]+?)\s*<', html)
    assert tabs == ["Today", "Browse", "Trending", "Search", "About"]
    primary = html.index("md-nav--primary")
    nav = html[primary: html.index("md-sidebar--secondary", primary)]
    assert re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*<span[^>]*>\s*([^<]+?)\s*<', nav)[:9] == [
        "Today", "Latest", "Reading list", "For you", "Browse", "Dates", "Weeks", "Topics", "Watchlists"]
    assert "papers/" not in nav


def test_pages_outside_the_navigation_show_the_five_tabs_on_every_screen_and_no_drawer(seeds_site, seeds_json):
    paper = seeds_json["papers"][0]
    html = (seeds_site / paper["url"] / "index.html").read_text(encoding="utf-8")
    assert "md-nav--primary" not in html
    assert not re.search(r'<label class="md-header__button[^>]*for="__drawer"', html)
    assert re.search(r'<nav class="md-tabs digest-tabs--everywhere"[^>]*><script>__digestTabs\(\)', html)
    frame = (seeds_site / "assets" / "javascripts" / "frame.js").read_text(encoding="utf-8").split("\n", 1)[0]
    tabs = json.loads(frame.removeprefix("self.__digest_frame = ").removesuffix(";"))["tabs"]
    assert [label for label, _ in tabs] == ["Today", "Browse", "Trending", "Search", "About"]
    for _, href in tabs:
        target = (seeds_site / href).resolve()
        assert (target / "index.html").exists() or target.with_suffix(".html").exists(), href


def test_data_quality_page_accounts_for_every_entry_of_every_dump(seeds_site, seeds_json, example_site):
    text = " ".join("".join(read_page(seeds_site, "quality/").text).split())
    assert f"646 entries read from 5 dumps = {len(seeds_json['papers'])} papers + 41 duplicates merged" in text
    assert all(name in text for name in SEED_COUNTS)
    assert "/tmp/" not in text and str(REPO) not in text
    example = " ".join("".join(read_page(example_site, "quality/").text).split())
    assert "22 entries read from 3 dumps = 20 papers + 2 duplicates merged into them + 0 skipped" in example
    assert "2025-03-14.txt" in example


def test_home_page_shows_latest_day_largest_topics_and_counts(seeds_site, seeds_json):
    text = "".join(read_page(seeds_site, "").text)
    assert "605 papers" in " ".join(text.split())
    assert "Latest: Mon 28 Oct 2024" in text
    largest = max(seeds_json["topics"], key=lambda t: len(t["papers"]))
    assert largest["label"] in text


def test_window_titles_name_the_page_then_the_site_and_the_home_page_the_site_once(seeds_site, seeds_json):
    def title(path: str) -> str:
        html = (seeds_site / path / "index.html").read_text(encoding="utf-8")
        return unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))

    assert title("") == "Paper Digest"
    assert title("topics") == "Topics - Paper Digest"
    paper = seeds_json["papers"][0]
    assert title(paper["url"]) == f"{paper['title']} - Paper Digest"


def test_search_files_cover_every_paper_and_leave_out_materials_index(seeds_site, seeds_json):
    search = seeds_site / "search"
    shards = sorted((search / "papers").glob("*.json"), key=lambda f: int(f.stem))
    listed = [entry for shard in shards for entry in json.loads(shard.read_text(encoding="utf-8"))]
    assert listed == [[p["title"], p["url"]] for p in seeds_json["papers"]]
    facets = json.loads((search / "facets.json").read_text(encoding="utf-8"))
    assert len(facets["dates"]) == len(facets["upvotes"]) == len(seeds_json["papers"])
    index = json.loads((search / "index.json").read_text(encoding="utf-8"))
    assert index["papers"] == len(seeds_json["papers"]) and index["terms"] == sorted(index["terms"])
    assert (seeds_site / "assets" / "javascripts" / "lunr.js").read_text(encoding="utf-8").startswith("/**")
    assert not (search / "search_index.json").exists()


def test_example_dumps_build_with_dates_from_file_names_and_merged_duplicates(example_site):
    digest = exported_digest(example_site)
    assert len(digest["papers"]) == 20
    assert not (example_site / "papers.json").exists()
    assert (example_site / "papers.json.gz").read_bytes()[4:8] == bytes(4), "a gzip time would vary the bytes"
    assert [d["date"] for d in digest["dates"]] == ["2025-03-12", "2025-03-13", "2025-03-14"]
    twice = [p for p in digest["papers"] if len(p["digest_dates"]) == 2]
    assert len(twice) == 2
    assert all(p["upvotes"] is not None for p in twice)
    assert digest["topics"]


@pytest.mark.parametrize("dumps", [EXAMPLE_DUMPS, HOSTILE_DUMPS], ids=["example", "hostile"])
def test_same_input_builds_the_same_site_byte_for_byte(tmp_path, keyphrase_cache, request, dumps):
    built = request.getfixturevalue("example_site" if dumps == EXAMPLE_DUMPS else "hostile_site")
    site_url = EXAMPLE_SITE_URL if dumps == EXAMPLE_DUMPS else None
    config_file = make_project(tmp_path / "again", keyphrase_cache, dumps=[str(dumps)],
                               topics={"min_papers": 2}, site_url=site_url)
    again = build_site(config_file, out=tmp_path / "again" / "site")
    first, second = _snapshot(built), _snapshot(again)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_cli_builds_any_dump_file_into_any_folder(tmp_path, keyphrase_cache):
    config_file = make_project(tmp_path / "project", keyphrase_cache)
    out = tmp_path / "elsewhere" / "site"
    dump = EXAMPLE_DUMPS / "2025-03-13.txt"
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "-f", str(config_file), "--dumps", str(dump),
         "--out", str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert f"{dump}: dated 2025-03-13 by its file name" in result.stderr
    assert len(exported_digest(out)["papers"]) == 7


def test_a_build_lets_go_of_the_loaded_model_before_rendering(tmp_path, keyphrase_cache):
    encoder_for(DigestConfig().keyphrases)
    assert load_encoder.cache_info().currsize == 1
    dump = EXAMPLE_DUMPS / "2025-03-12.txt"
    build_site(make_project(tmp_path / "project", keyphrase_cache, dumps=[str(dump)]), out=tmp_path / "site")
    assert load_encoder.cache_info().currsize == 0, "mkdocs serve keeps it (on_startup); a build does not"


def test_failed_build_leaves_the_previous_site_untouched(tmp_path, keyphrase_cache, caplog):
    good = make_project(tmp_path / "good", keyphrase_cache, dumps=[str(EXAMPLE_DUMPS / "2025-03-12.txt")])
    out = tmp_path / "site"
    build_site(good, out=out)
    before = (out / "index.html").read_bytes()
    clashing = make_project(tmp_path / "bad", keyphrase_cache, pages={"index.md": "# Hand-written home"},
                            dumps=[str(EXAMPLE_DUMPS)])
    with pytest.raises(Abort):
        build_site(clashing, out=out)
    assert "pages/index.md is hand-written, but the digest generates index.md" in caplog.text
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "good", "site"]


@pytest.fixture
def built_example(tmp_path, keyphrase_cache):
    """A built site, its project, and a snapshot of every file in it."""
    config_file = make_project(tmp_path / "project", keyphrase_cache, dumps=[str(EXAMPLE_DUMPS)],
                               topics={"min_papers": 2})
    out = tmp_path / "site"
    build_site(config_file, out=out)
    return config_file, out, _snapshot(out)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_broken_template_is_named_and_leaves_the_previous_site_untouched(built_example, tmp_path,
                                                                            monkeypatch, caplog):
    config_file, out, before = built_example
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    (templates / "paper.md.j2").write_text("{% for x in %}\n", encoding="utf-8")
    monkeypatch.setattr("generator.publish.templating.TEMPLATES_DIR", templates)
    with pytest.raises(Abort):
        build_site(config_file, out=out)
    assert f"Template error: {templates / 'paper.md.j2'}:1:" in caplog.text
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site", "templates"]


@pytest.mark.parametrize("failure", [RuntimeError("a stage failed"), KeyboardInterrupt()],
                         ids=["exception", "interrupted"])
def test_a_stage_that_fails_or_is_interrupted_leaves_the_previous_site_untouched(built_example, tmp_path,
                                                                                 monkeypatch, failure):
    config_file, out, before = built_example

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr("generator.pipeline.kept_topics", fail)
    with pytest.raises(type(failure)):
        build_site(config_file, out=out)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path, keyphrase_cache):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    config_file = make_project(tmp_path / "project", keyphrase_cache)
    with pytest.raises(SiteFolderError):
        build_site(config_file, out=precious)
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_bad_configuration_is_reported_with_file_and_key(tmp_path, keyphrase_cache, caplog):
    config_file = make_project(tmp_path / "project", keyphrase_cache, keyphrase={"top_n": 3})
    with pytest.raises(Abort):
        build_site(config_file, out=tmp_path / "site")
    digest_yml = tmp_path / "project" / "site_config" / "digest.yml"
    assert f"{digest_yml}: has an unknown key 'keyphrase'" in caplog.text
    assert not (tmp_path / "site").exists()


def test_generated_pages_are_sent_without_indentation_and_hand_written_ones_as_rendered(example_site):
    paper = next((example_site / "papers").glob("*/index.html")).read_text(encoding="utf-8")
    outside_scripts = re.sub(r"<script\b.*?</script>", "<script/>", paper, flags=re.S)
    assert not re.search(r"[ \t\n\r\f]{2}", outside_scripts)
    assert '<h1 class="digest-title" data-date="' in paper
    about = (example_site / "about" / "index.html").read_text(encoding="utf-8")
    assert "\n  " in about


def test_paper_pages_show_where_and_when_each_paper_was_seen(seeds_site, seeds_json):
    seen_twice = [p for p in seeds_json["papers"] if len(p["sources"]) > 1]
    assert seen_twice, "the seeds list some papers in several dumps"
    for paper in seeds_json["papers"]:
        page = read_page(seeds_site, paper["url"])
        text = " ".join(page.text)
        html = (seeds_site / paper["url"] / "index.html").read_text(encoding="utf-8")
        if len(paper["sources"]) == 1:
            (source,) = paper["sources"]
            cell = html_escape(source["file"], quote=False)
            assert f"Listed once: line {source['line']} of <code>{cell}</code>" in html
            assert ("an undated dump" in text) == (source["date"] is None)
            if source["date"]:
                day_url = "dates/" + source["date"].replace("-", "/") + "/"
                assert f'<dt>In the digest</dt><dd><a href="../../{day_url}">' in html
            assert (source["upvotes"] is not None) == (f"with {source['upvotes']} upvote" in text)
            assert 'class="digest-provenance"' not in html
            continue
        table = html[html.index('class="digest-provenance"'):]
        table = table[:table.index("</table>")]
        assert table.count("<tr>") == 1 + len(paper["sources"])
        for source in paper["sources"]:
            cell = html_escape(source["file"], quote=False)
            assert f"<code>{cell}</code></td><td>{source['line']}</td>" in table
        dated = sorted(s["date"] for s in paper["sources"] if s["date"])
        assert "First seen in the digest of" in text if dated else "First seen in an undated dump" in text
        voted_days = {s["date"] for s in paper["sources"] if s["date"] and s["upvotes"] is not None}
        charted = "Upvotes in each dump that carries them" in text
        assert charted == (len(voted_days) >= 2)


def test_trending_ranks_papers_by_upvotes_overall_and_per_day(seeds_site, seeds_json):
    voted = sorted((p for p in seeds_json["papers"] if p["upvotes"] is not None),
                   key=lambda p: (-p["upvotes"], p["title"].lower()))
    assert voted, "the rich seed dumps carry upvotes"
    html = (seeds_site / "trending" / "index.html").read_text(encoding="utf-8")
    overall = html[html.index('id="overall"'):]
    overall = overall[:overall.index("</ul>")]
    listed = re.findall(r'href="\.\./papers/([^/]+)/"', overall)
    assert listed == [p["id"] for p in voted[:30]]
    days = re.findall(r'<h2 id="(\d{4}-\d{2}-\d{2})">', html)
    assert days == sorted(days, reverse=True) and days
    first_day = html[html.index(f'<h2 id="{days[0]}">'):]
    first_day = first_day[:first_day.index("</ol>")]
    counts = [int(n) for n in re.findall(r"▲ (\d+)", first_day)]
    assert counts == sorted(counts, reverse=True) and 3 <= len(counts) <= 6


def test_each_organisation_has_a_page_linked_from_its_papers(seeds_site, seeds_json):
    named = {}
    for paper in seeds_json["papers"]:
        if paper["organization"]:
            named.setdefault(paper["organization"], []).append(paper["id"])
    assert named
    index = linked_urls(seeds_site, "organizations/")
    pages = {url for url in index if url.startswith("organizations/") and url != "organizations/"}
    assert len(pages) == len(named)
    for url in pages:
        listed = {u.removeprefix("papers/").rstrip("/") for u in linked_urls(seeds_site, url)
                  if u.startswith("papers/")}
        assert any(listed == set(ids) for ids in named.values()), url
    paper = next(p for p in seeds_json["papers"] if p["organization"])
    assert any(u.startswith("organizations/") for u in linked_urls(seeds_site, paper["url"]))


def test_dates_index_shows_a_calendar_of_papers_per_day(seeds_site, seeds_json):
    html = (seeds_site / "dates" / "index.html").read_text(encoding="utf-8")
    svg = html[html.index('<svg class="digest-chart digest-calendar"'):]
    svg = svg[:svg.index("</svg>")]
    titles = dict(re.findall(r"<title>(\w{3} \d+ \w{3} \d{4}): (\d+) papers?</title>", svg))
    for day in seeds_json["dates"]:
        if day["date"]:
            d = dt.date.fromisoformat(day["date"])
            assert titles[f"{d:%a} {d.day} {d:%b %Y}"] == str(len(day["papers"]))
    assert "<script" not in svg


class _Addresses(HTMLParser):
    """Every address a page links or loads."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "src"):
            if attributes.get(name):
                self.found.append(attributes[name])


def test_with_file_addresses_every_link_reaches_a_file(tmp_path, keyphrase_cache):
    """MkDocs' ``use_directory_urls: false``: pages are ``x.html``, and every address the build writes (pages,
    their links, papers.json's paper_url, the reading list's paper_url) follows."""
    config_file = make_project(tmp_path / "project", keyphrase_cache, dumps=[str(EXAMPLE_DUMPS)],
                               topics={"min_papers": 2})
    config_file.write_text(config_file.read_text(encoding="utf-8") + "use_directory_urls: false\n",
                           encoding="utf-8")
    site = build_site(config_file, out=tmp_path / "site")
    assert exported_digest(site)["paper_url"] == "papers/{id}.html"
    frame = (site / "assets" / "javascripts" / "frame.js").read_text(encoding="utf-8")
    assert '"paper_url": "papers/{id}.html"' in frame and 'href=\\"search/index.html\\"' in frame
    pages = sorted(site.rglob("*.html"))
    paper = exported_digest(site)["papers"][0]["id"]
    assert len(pages) > 40 and (site / "papers" / f"{paper}.html").is_file()
    for page in pages:
        parser = _Addresses()
        parser.feed(page.read_text(encoding="utf-8"))
        for address in parser.found:
            if re.match(r"[a-z][a-z0-9+.-]*:|#|//", address):
                continue
            path = address.split("#")[0].split("?")[0]
            target = (site / path.lstrip("/") if path.startswith("/") else page.parent / path).resolve()
            assert target.is_file() or (target / "index.html").is_file(), \
                f"{page.relative_to(site)} links {address}"


def test_a_project_without_nav_lists_the_main_generated_pages_and_no_paper(tmp_path, keyphrase_cache):
    """MkDocs builds the navigation itself when mkdocs.yml has no ``nav``: it shows the generated pages
    the default project's navigation names, never the thousands of paper, day and topic pages."""
    config_file = make_project(tmp_path / "project", keyphrase_cache, dumps=[str(EXAMPLE_DUMPS)],
                               topics={"min_papers": 2})
    text = config_file.read_text(encoding="utf-8")
    start = text.index("\nnav:")
    end = re.search(r"\n[a-z_]+:", text[start + 1:]).start() + start + 1
    config_file.write_text(text[:start] + text[end:], encoding="utf-8")
    assert "\nnav:" not in config_file.read_text(encoding="utf-8")
    site = build_site(config_file, out=tmp_path / "site")
    html = (site / "index.html").read_text(encoding="utf-8")
    primary = html.index("md-nav--primary")
    nav = html[primary: html.index("md-sidebar--secondary", primary)]
    linked = {re.search(r'href="([^"]+)"', tag)[1] for tag in re.findall(r"<a\b[^>]*>", nav)
              if "md-nav__link" in tag and "href=" in tag}
    assert {"topics/", "dates/", "search/", "trending/", "about/"} <= linked, linked
    assert not any(href.startswith(("papers/", "dates/20", "weeks/20")) for href in linked), linked
