"""Clean-up of LaTeX remnants that dumps carry over from arXiv abstracts."""

from __future__ import annotations

import re
import unicodedata

_URL = re.compile(r"\\url\{([^}]*)\}")
_ESCAPED = re.compile(r"\\([%&#_$])")
_ACCENT = re.compile(r"""\\(["'`^~=.])\{?\\?([A-Za-z])\}?""")
_COMMAND = re.compile(r"\\[A-Za-z]+\*?")
_QUOTES = re.compile(r"``|''")
_BRACES = re.compile(r"[{}]")
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307"}


def plain_text(text: str) -> str:
    """Text with LaTeX markup removed, for keyphrase extraction: ``\\%`` → ``%``, ``\\"{\\i}`` → ``ï``,
    ``\\url{u}`` → ``u``, other commands and braces dropped, TeX quotes made plain."""
    text = _URL.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)
    text = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m[2] + _ACCENTS[m[1]]), text)
    text = _COMMAND.sub(" ", text)
    text = _QUOTES.sub('"', text)
    return " ".join(_BRACES.sub("", text).split())
