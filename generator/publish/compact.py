"""Stage 8 (after MkDocs renders a generated page): runs of HTML whitespace collapsed to one space.

Material's templates indent every line; on a paper page that is about a sixth of its bytes. Browsers
render a run of whitespace as one space, so collapsing it changes nothing a reader sees, except inside
``pre``, ``textarea``, ``script`` and ``style``, which are copied as they are. Only ASCII whitespace is
touched (HTML's own definition): a no-break space in a title stays. Character references and every
other byte are left alone, so the escaping done by the templates is never redone here (unlike
minifiers that decode and re-encode text).
"""

from __future__ import annotations

import re

_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.IGNORECASE | re.DOTALL)
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


def compact_html(html: str) -> str:
    parts = _VERBATIM.split(html)
    # split() returns text, then each match as (whole element, tag name); only the text between is compacted.
    out = []
    for index in range(0, len(parts), 3):
        out.append(_WHITESPACE.sub(" ", parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out).strip() + "\n"
