"""Words as the search reads them: lunr's tokenizer, trimmer, stop words and stemmer, the same pipeline
the search page runs (lunr.js) on a query. The search index (``publish/search.py``) and the query
encoder (``query_encoder.py``) both read papers through it, so a query's terms are the index's."""

from __future__ import annotations

import functools
import re

from lunr import get_default_builder
from lunr.token import Token
from lunr.tokenizer import SEPARATOR_CHARS

_SEPARATORS = re.compile(f"[{re.escape(SEPARATOR_CHARS)}]+")


class LunrTerms:
    """lunr.py's indexing pipeline (trimmer, stop-word filter, stemmer) over the words of a text, as
    ``Builder.add`` would run it, but once per distinct word: the same terms, several times faster."""

    def __init__(self) -> None:
        self.pipeline = get_default_builder().pipeline
        self.known: dict[str, str | None] = {}

    def __call__(self, text: str) -> list[str]:
        return [term for _, term in self.pairs(text)]

    def pairs(self, text: str) -> list[tuple[str, str]]:
        """(word as written in lower case, its term) for each word that has a term."""
        pairs = []
        for word in _SEPARATORS.split(text.lower()):
            if not word:
                continue
            if word not in self.known:
                tokens = self.pipeline.run([Token(word, {})])
                self.known[word] = str(tokens[0]) if tokens else None
            if term := self.known[word]:
                pairs.append((word, term))
        return pairs


@functools.cache
def shared_terms() -> LunrTerms:
    """One ``LunrTerms`` for the whole process: the index and the query encoder read the same words, and
    ``mkdocs serve`` keeps what it learnt between rebuilds (the pipeline runs once per distinct word)."""
    return LunrTerms()
