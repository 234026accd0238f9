"""How dump text is shown: mojibake repaired, then LaTeX remnants that dumps carry over from arXiv
abstracts cleaned up. ``display_segments`` is the one place; the plain text the model reads is made from
its result."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import ftfy

_REPAIR = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
    fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False, remove_control_chars=False,
    normalization=None, explain=False,
)
"""ftfy repairs text that was UTF-8 decoded as Latin-1 or Windows-1252 and saved again ("Ã©" → "é") and
nothing else: quotes, dashes, ligatures, widths, entities such as ``&lt;`` and LaTeX stay as written."""

_COMMAND = re.compile(r"\\[A-Za-z]+\*?")
_BRACES = re.compile(r"[{}]")
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307"}
_ABBREVIATIONS = {"eg": "e.g.", "ie": "i.e.", "etal": "et al.", "vs": "vs.", "cf": "cf.", "wrt": "w.r.t.",
                  "etc": "etc."}
_SYMBOLS = {
    "times": "×", "cdot": "·", "pm": "±", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠",
    "approx": "≈", "sim": "∼", "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←",
    "ldots": "…", "dots": "…", "cdots": "⋯", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ",
    "epsilon": "ε", "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "sigma": "σ", "tau": "τ",
    "phi": "φ", "omega": "ω", "Delta": "Δ", "Sigma": "Σ", "Omega": "Ω",
}
_STYLES = ("textbf", "textit", "emph", "texttt", "textsc", "textrm", "textsf", "mathrm", "mathbf", "mathit",
           "text")
_DISPLAY = re.compile(
    r"\\url\{(?P<url>[^{}\s]+)\}"
    r"|\\href\{(?P<href>[^{}\s]+)\}\{(?P<label>[^{}]*)\}"
    rf"|\\(?:{'|'.join(_STYLES)})\{{(?P<styled>[^{{}}]*)\}}"
    r"|\\footnote\{(?P<footnote>[^{}]*)\}"
    r"""|\\(?P<accent>["'`^~=.])(?:\{\\?(?P<braced>[A-Za-z])\}|\\?(?P<bare>[A-Za-z]))"""
    r"|\\(?P<escaped>[%&#_$])"
    rf"|\\(?P<abbreviation>{'|'.join(_ABBREVIATIONS)})(?![A-Za-z])"
    rf"|\\(?P<symbol>{'|'.join(sorted(_SYMBOLS, key=len, reverse=True))})(?![A-Za-z])"
    r"|\\(?P<math>[()])"
    r"|(?<!`)``(?!`)(?P<quoted>[^`]+?)''"
    r"|(?P<broken>https?://[^\s<>\"'`{}]*-) (?P<rest>[A-Za-z0-9][^\s<>\"'`{}]*[^\s<>\"'`{}.,;:!?)\]])"
    r"|(?P<web>https?://[^\s<>\"'`{}]*[^\s<>\"'`{}.,;:!?)\]])"
)
_LINKABLE = re.compile(r"https?://[^\s]+", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    """A piece of displayed text; ``href`` is set when the piece is a link."""

    text: str
    href: str | None = None


def repair_mojibake(text: str) -> str:
    """``text`` with mojibake undone ("cafÃ©" → "café"); any other text comes back unchanged."""
    return ftfy.fix_text(text, _REPAIR)


def display_segments(text: str) -> list[Segment]:
    """Text as a reader should see it, from the LaTeX remnants of arXiv abstracts: ``\\%`` → ``%``,
    ``\\url{u}`` → a link, ``` ``q'' ``` → “q” (unpaired backticks stay), ``\\"{\\i}`` → ï,
    ``T\\"ULU`` → TÜLU, ``\\eg`` → e.g., ``\\(7\\times\\)`` → 7×, ``\\emph{x}`` → x,
    ``\\footnote{x}`` → (x); a bare web address becomes a link (without the punctuation that ends a
    sentence; one broken after a hyphen, "…/efficient- NLP-training", links to the whole address).
    Everything else, including ``$x$`` and commands it does not know (``\\rat``), is shown as written."""
    text = repair_mojibake(text)
    segments: list[Segment] = []
    position = 0
    for match in _DISPLAY.finditer(text):
        segments.append(Segment(text[position:match.start()]))
        segments.extend(_display_url(match["url"]) if match.lastgroup == "url" else [_display(match)])
        position = match.end()
    segments.append(Segment(text[position:]))
    return _joined(segments)


def _display_url(url: str) -> list[Segment]:
    """``\\url{u}``: a link to ``u`` without the punctuation that ends a sentence, which some abstracts
    put inside the braces (``\\url{https://github.com/a/b.}``); the punctuation stays as text after it."""
    address = url.rstrip(".,;:!?")
    return [_link(address, address), Segment(url[len(address):])] if address else [Segment(url)]


def _display(match: re.Match[str]) -> Segment:
    kind = match.lastgroup if match.lastgroup not in ("braced", "bare") else "accent"
    if kind == "web":
        return _link(match["web"], match["web"])
    if kind == "rest":
        return _link(match["broken"] + match["rest"], match[0])
    if kind in ("href", "label"):
        return _link(match["href"], display_text(match["label"]) or match["href"])
    if kind == "styled":
        return Segment(display_text(match["styled"]))
    if kind == "footnote":
        return Segment(f" ({display_text(match['footnote'])})")
    if kind == "accent":
        letter = match["braced"] or match["bare"]
        return Segment(unicodedata.normalize("NFC", letter + _ACCENTS[match["accent"]]))
    if kind == "escaped":
        return Segment(match["escaped"])
    if kind == "abbreviation":
        return Segment(_ABBREVIATIONS[match["abbreviation"]])
    if kind == "symbol":
        return Segment(_SYMBOLS[match["symbol"]])
    if kind == "math":
        return Segment("")
    return Segment(f"“{display_text(match['quoted'])}”")


def _link(url: str, label: str) -> Segment:
    """A link only to a web address; anything else (``javascript:``) stays text."""
    return Segment(label, url if _LINKABLE.fullmatch(url) else None)


def _joined(segments: list[Segment]) -> list[Segment]:
    joined: list[Segment] = []
    for segment in segments:
        if joined and segment.href is None and joined[-1].href is None:
            joined[-1] = Segment(joined[-1].text + segment.text)
        elif segment.text or segment.href:
            joined.append(segment)
    return [s for s in joined if s.text]


def display_text(text: str) -> str:
    """The displayed text without links (a link shows its label)."""
    return "".join(segment.text for segment in display_segments(text))


def plain_text(text: str) -> str:
    """Text for keyphrase extraction and embedding: the displayed text (``display_text``: ``\\%`` → ``%``,
    ``\\"{\\i}`` → ``ï``, ``\\times`` → ×, ``\\url{u}`` → ``u``), then the commands display leaves as
    written and braces dropped, and whitespace made single spaces."""
    return " ".join(_BRACES.sub("", _COMMAND.sub(" ", display_text(text))).split())


_SENTENCE_MARK = re.compile(r"[.!?](?:\s|$)")
_SENTENCE_BREAK = re.compile(
    r"(?<=[.!?])(?P<close>[\"”’')\]]*)(?:\s+(?=[\"“‘(\[]*[A-Z0-9])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]{2}))")
_NOT_AN_END = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|etc|vs|cf|resp|approx|w\.r\.t|Fig|Figs|Eq|Eqs|Sec|Tab|No|Dr|Mr|Ms|Prof|St|Inc"
    r"|Ltd|Jr|Corp)\.|\b[A-Z]\.)[\"”’')\]]*$")
"""A period that ends an abbreviation or an initial ("e.g.", "et al.", "J."), not a sentence."""


def _in_address(text: str, match: re.Match) -> bool:
    """A glued break ("Org.Name") inside a word holding a slash or an at sign: part of an address."""
    if match.end() > match.end("close"):
        return False
    word_end = text.find(" ", match.end())
    word = text[text.rfind(" ", 0, match.start()) + 1:word_end if word_end >= 0 else len(text)]
    return "/" in word or "@" in word


def sentence_marks(text: str) -> int:
    """How many ``.``, ``!`` or ``?`` end a word: the parser's cheap evidence that a line is prose, read
    for every line of a dump (``sentences`` is the splitter)."""
    return len(_SENTENCE_MARK.findall(text))


def sentences(text: str) -> list[str]:
    """The sentences of a displayed text, each verbatim (a slice of ``text``, stripped): a break is a
    ``.``, ``!`` or ``?`` (and any closing quote or bracket) followed by space and a capital or a digit,
    except after an abbreviation or an initial; or, where a listing glued two sentences together
    ("assistant.Based on"), such a mark between a lower-case word and a capitalised one."""
    found, start = [], 0
    for match in _SENTENCE_BREAK.finditer(text):
        end = match.end("close")
        if _NOT_AN_END.search(text, max(start, end - 14), end) or _in_address(text, match):
            continue
        found.append(text[start:end].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [s for s in found if s]
