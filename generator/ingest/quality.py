"""The data-quality report: where every entry of every dump went.

Each entry read is a paper, a duplicate merged into a paper (an extra sighting of it), or skipped
with a reason, so ``entries read = papers + duplicates + skipped`` must hold. The counts come from
different stages, so a build that lost an entry would show it here. The report is logged at the end
of the build and published as the site's data-quality page.
"""

from __future__ import annotations

from collections import Counter

from generator.records import Dump, FileReport, Paper, Problem, QualityReport


def quality_report(dumps: list[Dump], papers: list[Paper], problems: list[Problem]) -> QualityReport:
    per_file = Counter(str(p.path) for p in problems)
    files = [FileReport(str(d.path), d.entries_read, len(d.skipped), per_file[str(d.path)]) for d in dumps]
    duplicates = sum(len(p.sightings) - 1 for p in papers)
    reasons = Counter(s.message.removesuffix("; skipped") for d in dumps for s in d.skipped)
    return QualityReport(files, len(papers), duplicates, sum(f.skipped for f in files),
                         dict(sorted(reasons.items())), problems)
