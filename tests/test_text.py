"""Display clean-up of mojibake and LaTeX remnants: what it changes, and that it changes nothing else."""

from __future__ import annotations

import pytest

from generator.ingest.papers import merge_entries
from generator.ingest.text import Segment, display_segments, display_text, plain_text, repair_mojibake
from generator.publish.templating import display_html
from generator.records import Entry

CLEANED = {
    r"50\% of runs": "50% of runs",
    r"``supervised pre-training''": "“supervised pre-training”",
    r"na\"{\i}vely": "naïvely",
    r"T\"ULU 3": "TÜLU 3",
    r"Rozi\`ere et al.": "Rozière et al.",
    r"\eg, this and \ie that, \etal": "e.g., this and i.e. that, et al.",
    r"a \(7\times\) speed-up": "a 7× speed-up",
    r"\emph{new} \textbf{bold}": "new bold",
    r"done.\footnote{Code is public.}": "done. (Code is public.)",
    r"\url{https://github.com/a/b}": "https://github.com/a/b",
    r"R\&D and \#1 and \_x and \$5": "R&D and #1 and _x and $5",
}
UNCHANGED = [
    "<EOS> and <script>alert(1)</script>", "[MASK] and [x](javascript:alert(1))", "P(y|x) | a | b |",
    "*a* _b_ **c**", "{{ x }} {% raw %} {# c #}", "$x$ and $$y$$", "`code` and ```fence``` and ``alone",
    "# not a heading", "大型语言模型 🚀 Модели", r"\rat layer and \color{red} stay", "x'' and it's",
    "~5% and --flag", "&amp; &lt;b&gt;",
]


@pytest.mark.parametrize(("raw", "shown"), CLEANED.items())
def test_latex_remnants_are_cleaned_for_display(raw, shown):
    assert display_text(raw) == shown


@pytest.mark.parametrize("raw", UNCHANGED)
def test_everything_else_is_shown_as_written(raw):
    assert display_text(raw) == raw


def test_web_addresses_become_links_without_trailing_punctuation_and_other_schemes_stay_text():
    text = r"See \url{https://x.org/a?b=1&c=2}, or https://y.org/p. Or \url{javascript:alert(1)}."
    assert display_segments(text) == [
        Segment("See "), Segment("https://x.org/a?b=1&c=2", "https://x.org/a?b=1&c=2"), Segment(", or "),
        Segment("https://y.org/p", "https://y.org/p"), Segment(". Or javascript:alert(1)."),
    ]


def test_display_html_escapes_every_piece_and_links_only_web_addresses():
    html = display_html(r'<b>"x"</b> \url{https://x.org/?a=1&b="2"} [y](javascript:alert(1))')
    assert html == ('&lt;b&gt;&#34;x&#34;&lt;/b&gt; <a href="https://x.org/?a=1&amp;b=&#34;2&#34;" '
                    'rel="nofollow noopener">https://x.org/?a=1&amp;b=&#34;2&#34;</a> [y](javascript:alert(1))')


@pytest.mark.parametrize(("written", "shown"), [
    ("CafÃ© society", "Café society"),
    ("naÃ¯ve Bayes â€” a study", "naïve Bayes — a study"),
    ("Ä°stanbul and ZÃ¼rich", "İstanbul and Zürich"),
])
def test_mojibake_is_repaired(written, shown):
    assert display_text(written) == shown


@pytest.mark.parametrize("text", [
    "“curly” quotes — and – dashes", "&lt;EOS&gt; beside <EOS>", "ﬁne ligatures", "ＦＵＬＬ width", "Zürich",
    "日本語のテキスト", "P(y|x) and [MASK] and *a*", "e\u0301 combining accents", "SÃO PAULO, the ±5% band",
])
def test_text_that_is_not_mojibake_is_left_as_written(text):
    assert repair_mojibake(text) == text


def test_a_paper_shows_the_repaired_text_and_keeps_the_dump_s(tmp_path):
    abstract = "We study cafÃ© networks. " * 12
    entry = Entry(title="CafÃ© Networks", abstract=abstract, path=tmp_path / "d.txt", line=1)
    (paper,) = merge_entries([entry])
    assert (paper.title, paper.title_raw) == ("Café Networks", "CafÃ© Networks")
    assert paper.abstract.startswith("We study café networks.") and paper.abstract_raw == abstract
    assert "café" in plain_text(abstract)
