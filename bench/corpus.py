"""A large synthetic digest from real abstracts: N distinct papers in daily dumps over two years.

The abstracts are real (Inspec's 941 and the seeds' 605); a paper past the first round of each takes the
same abstract with its sentences rotated and a varied title, so every paper stays distinct (title and
abstract) and gets its own embedding. Days rotate through the three layouts (plain, blank-separated,
rich with organisation, authors, publish date and upvotes). The same N gives the same files.

    .venv/bin/python bench/corpus.py 2000 /tmp/corpus-2000
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.examples import INSPEC, SEEDS  # noqa: E402
from generator.analysis.keyphrases import text_file_document  # noqa: E402
from generator.ingest.papers import title_key  # noqa: E402
from generator.ingest.parse import looks_like_abstract, read_dumps  # noqa: E402

FIRST_DAY = dt.date(2023, 1, 2)
DAYS = 730
LAYOUTS = ("plain", "blank", "rich")
ORGANISATIONS = ("acme Acme Research", "lab Open Lab", None, "uni University AI Group", None)
VARIANTS = ("", "Revisiting", "Towards", "Scaling", "Rethinking", "Efficient", "Robust", "Understanding",
            "Learning", "Beyond", "Improving", "On", "A Study of", "Faster", "Simple", "Generalised", "Sparse",
            "Adaptive", "Unified", "Interpretable", "Multilingual", "Compositional", "Federated", "Private",
            "Causal", "Continual", "Contrastive", "Hierarchical", "Probabilistic", "Modular", "Grounded")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Source:
    title: str
    abstract: str


def sources() -> list[Source]:
    """Every real title and abstract: Inspec's, then the seeds'."""
    found = []
    for path in sorted((INSPEC / "docs").glob("*.txt"), key=lambda p: int(p.stem)):
        document = text_file_document(path.read_text(encoding="utf-8", errors="replace"))
        title, _, abstract = document.partition(". ")
        if title and not looks_like_abstract(title) and len(abstract) >= 250:
            found.append(Source(title, abstract))
    dumps, _ = read_dumps([SEEDS])
    found += [Source(e.title, e.abstract) for d in dumps for e in d.entries if len(e.abstract) >= 250]
    distinct, seen = [], set()
    for source in found:
        keys = {title_key(source.title), title_key(source.abstract)}
        if not keys & seen:
            seen |= keys
            distinct.append(source)
    return distinct


def paper(index: int, pool: list[Source]) -> Source:
    source = pool[index % len(pool)]
    round_ = index // len(pool)
    if round_ == 0:
        return source
    sentences = _SENTENCE_END.split(source.abstract)
    turn = round_ % len(sentences) or 1
    rotated = " ".join(sentences[turn:] + sentences[:turn])
    return Source(f"{_variant(round_)} {source.title}", f"{rotated} (Variant {round_}.)")


def _variant(round_: int) -> str:
    """The title's prefix in a round past the first: one word of VARIANTS, then (past 45,000 papers or
    so) two, so that 100,000 papers stay distinct; earlier rounds are unchanged."""
    if round_ < len(VARIANTS):
        return VARIANTS[round_]
    first, second = divmod(round_ - len(VARIANTS), len(VARIANTS) - 1)
    if first + 1 >= len(VARIANTS):
        raise ValueError(f"at most {len(VARIANTS) ** 2} rounds of distinct papers")
    return f"{VARIANTS[first + 1]} {VARIANTS[1:][second]}"


def write_corpus(count: int, folder: Path, extra: int = 0, first_extra: int | None = None) -> list[Path]:
    """``count`` papers in daily dumps under ``folder``; with ``extra``, one more dump of that many new
    papers (numbered from ``first_extra``, by default ``count``) on the day after the last. Returns the
    files written."""
    pool = sources()
    folder.mkdir(parents=True, exist_ok=True)
    days = [[] for _ in range(DAYS)]
    for index in range(count):
        days[index * DAYS // count].append(index)
    if extra:
        start = count if first_extra is None else first_extra
        days = [[] for _ in range(DAYS)] + [list(range(start, start + extra))]
    written = []
    for offset, indices in enumerate(days):
        if not indices:
            continue
        day = FIRST_DAY + dt.timedelta(days=offset)
        path = folder / f"{day.isoformat()}.txt"
        path.write_text(_dump(day, [paper(i, pool) for i in indices], LAYOUTS[offset % 3], indices),
                        encoding="utf-8")
        written.append(path)
    return written


def _dump(day: dt.date, papers: list[Source], layout: str, indices: list[int]) -> str:
    if layout == "plain":
        return "Subscribe\n" + "\n".join(f"{p.title}\n{p.abstract}" for p in papers)
    if layout == "blank":
        entries = "".join(f"{p.title}\n\n{p.abstract}\n\n" for p in papers)
        return f"Daily Papers\n\n{day:%b} {day.day}\n\n{entries}"
    lines = []
    for paper_, index in zip(papers, indices, strict=True):
        published = day - dt.timedelta(days=1 + index % 5)
        organisation = ORGANISATIONS[index % len(ORGANISATIONS)]
        lines += [paper_.title, paper_.abstract, *([organisation] if organisation else []),
                  f"• {2 + index % 9} authors", "·", f"{published:%b} {published.day} {index % 40}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    count, folder = int(sys.argv[1]), Path(sys.argv[2])
    files = write_corpus(count, folder)
    print(f"{count} papers in {len(files)} dumps under {folder}")


if __name__ == "__main__":
    main()
