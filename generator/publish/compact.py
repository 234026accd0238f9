"""Stage 8 (after MkDocs renders a generated page): runs of HTML whitespace collapsed to one space.

Material's templates indent every line; on a paper page that is about a sixth of its bytes. Browsers
render a run of whitespace as one space, so collapsing it changes nothing a reader sees, except inside
``pre``, ``textarea``, ``script`` and ``style``, which are copied as they are. A space between two tags
goes too where one of them is a block (``_BLOCKS``): browsers never draw it. Only ASCII whitespace is
touched (HTML's own definition): a no-break space in a title stays. Character references and every
other byte are left alone, so the escaping done by the templates is never redone here (unlike
minifiers that decode and re-encode text).
"""

from __future__ import annotations

import re

_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_BLOCKS = ("html|head|body|meta|link|title|header|footer|main|nav|article|section|aside|div|form"
           "|dl|dt|dd|ul|ol|table|thead|tbody|tr|td|th|h[1-6]|p|figure|figcaption|noscript")
"""Tags that are never laid out inline here (neither browsers' defaults nor Material's nor the digest's
styles make them so). A space between one of them and another tag starts or ends a line, or sits
between table cells or flex and grid items, where browsers drop it: it is removed."""
_SPACE_BEFORE_BLOCK = re.compile(rf"> (</?(?:{_BLOCKS})\b)", re.IGNORECASE)
_SPACE_AFTER_BLOCK = re.compile(rf"(</?(?:{_BLOCKS})\b[^<>]*>) <", re.IGNORECASE)


def compact_html(html: str) -> str:
    parts = _VERBATIM.split(html)
    # split() returns text, then each match as (whole element, tag name); only the text between is compacted.
    out = []
    for index in range(0, len(parts), 3):
        out.append(_between_tags(_WHITESPACE.sub(" ", parts[index])))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out).strip() + "\n"


def _between_tags(text: str) -> str:
    return _SPACE_AFTER_BLOCK.sub(r"\1<", _SPACE_BEFORE_BLOCK.sub(r">\1", text))
