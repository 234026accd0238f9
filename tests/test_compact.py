"""Whitespace collapsing of generated pages: bytes saved, nothing a reader sees changed."""

from __future__ import annotations

from html.parser import HTMLParser

from generator.publish.compact import compact_html


class Events(HTMLParser):
    """What a parser reads: tags with their attributes, text with whitespace runs as one space, and
    character references as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, attrs))

    def handle_data(self, data):
        if data.strip():
            self.events.append(("text", " ".join(data.split())))

    def handle_entityref(self, name):
        self.events.append(("entity", name))

    def handle_charref(self, name):
        self.events.append(("char", name))


def events(html: str) -> list[tuple]:
    reader = Events()
    reader.feed(html)
    return reader.events


def test_runs_of_whitespace_become_one_space():
    assert compact_html("<p>\n    a   b\n\t</p>\n\n<p>c</p>\n") == "<p> a b </p><p>c</p>\n"


def test_pre_textarea_script_and_style_are_copied_as_they_are():
    verbatim = ["<pre>  a\n   b</pre>", "<TEXTAREA>x\n\n y</TEXTAREA>", "<script>if (a)\n  b()\n</script>",
                "<style>p {\n  margin: 0\n}</style >"]
    html = "  <div>\n  ".join(verbatim)
    assert compact_html(html) == " <div> ".join(verbatim) + "\n"


def test_no_break_spaces_and_character_references_are_left_alone():
    html = "<h1>a\u00a0\u00a0b &lt;EOS&gt; &amp;lt; &#60;script&#62;</h1>"
    assert compact_html(html) == html + "\n"


def test_the_page_a_parser_sees_is_the_same_but_for_whitespace():
    html = ('<html>\n <head>\n  <title>&lt;script&gt; x</title>\n </head>\n <body>\n'
            '  <a href="u?a=1&amp;b=2"\n     title="t">x  y</a>\n  <pre>  p\n q</pre>\n </body>\n</html>\n')
    compacted = compact_html(html)
    assert len(compacted) < len(html)
    assert events(compacted) == events(html)
    assert "<pre>  p\n q</pre>" in compacted


def test_a_space_beside_a_block_tag_goes_and_one_between_inline_tags_stays():
    html = ('<div> <p class="a"> <a href="x">x</a> <a href="y">y</a> </p> </div>\n'
            '<ul> <li>a</li> <li>b</li> </ul>')
    assert compact_html(html) == ('<div><p class="a"><a href="x">x</a> <a href="y">y</a></p></div>'
                                  '<ul><li>a</li> <li>b</li></ul>\n')
    assert compact_html("<span>a</span> <pre> x</pre>") == "<span>a</span> <pre> x</pre>\n"
    assert compact_html("<header>x</header> <headline>") == "<header>x</header><headline>\n"
    assert compact_html("<i>x</i> <path d=''>") == "<i>x</i> <path d=''>\n"
