"""The data-quality report: where every entry of every dump went.

Each entry read is a paper, a duplicate merged into a paper (an extra sighting of it), or skipped
with a reason, so ``entries read = papers + duplicates + skipped`` must hold. The counts come from
different stages, so a build that lost an entry would show it here. The report is logged at the end
of the build and published as the site's data-quality page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from generator.records import Dump, Paper, Problem


@dataclass(frozen=True)
class FileReport:
    path: str
    entries_read: int
    skipped: int
    problems: int


@dataclass
class QualityReport:
    files: list[FileReport]
    papers: int
    duplicates: int
    skipped: int
    skip_reasons: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def entries_read(self) -> int:
        return sum(f.entries_read for f in self.files)

    @property
    def balanced(self) -> bool:
        return self.entries_read == self.papers + self.duplicates + self.skipped

    def summary(self) -> str:
        reasons = ", ".join(f"{n} {reason}" for reason, n in self.skip_reasons.items())
        return (f"{self.entries_read} entries read from {len(self.files)} dumps = {self.papers} papers + "
                f"{self.duplicates} duplicates merged + {self.skipped} skipped"
                + (f" ({reasons})" if reasons else "") + f"; {len(self.problems)} problems reported")


def quality_report(dumps: list[Dump], papers: list[Paper], problems: list[Problem]) -> QualityReport:
    per_file = Counter(str(p.path) for p in problems)
    files = [FileReport(str(d.path), d.entries_read, len(d.skipped), per_file[str(d.path)]) for d in dumps]
    duplicates = sum(len(p.sightings) - 1 for p in papers)
    reasons = Counter(s.message.removesuffix("; skipped") for d in dumps for s in d.skipped)
    return QualityReport(files, len(papers), duplicates, sum(f.skipped for f in files),
                         dict(sorted(reasons.items())), problems)
