"""Builds of large synthetic digests (bench/corpus.py): cold, warm, and one new 50-paper dump.

For each N: the cold build (empty keyphrase cache), the warm build (cache full), the increment (a warm
site plus one new dump of 50 papers), and a warm build with ``search.semantic: false`` (what the query
encoder and its files add to a warm build), each with its seconds and stage times (parse, keyphrases,
summaries, related, meaning, topics, watchlists, render, feeds and exports, search, and MkDocs: the rest), and
its peak memory, all and when it reached MkDocs; then the site's size per paper. Each build runs in a
process of its own, as ``digest build`` (``make site``, the Pages workflow) does: its peak is its own.

    .venv/bin/python bench/build.py [N ...]          (default: 2000 5000 20000)
    .venv/bin/python bench/build.py --warm-only N    (keep the cache of an earlier run: no cold build)

Corpora and caches are kept under .cache/bench-scale/N/.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from corpus import write_corpus  # noqa: E402

from generator.cli import build_site  # noqa: E402
from generator.project import new_project  # noqa: E402

WORK = REPO / ".cache" / "bench-scale"
INCREMENT = 50
STAGES = ("parse", "keyphrases", "summaries", "related", "meaning", "topics", "watchlists", "render", "feeds",
          "search")


class StageTimes(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.last: dict[str, float] = {}
        self.peak_before_mkdocs_mb = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Stage times: " in message:
            self.peak_before_mkdocs_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            pairs = re.findall(r"(\w+) ([\d.]+) s", message.split("Stage times: ", 1)[1])
            self.last = {name: float(seconds) for name, seconds in pairs}


def prepare(count: int, cold: bool) -> None:
    """The corpus, the increment's new dump (papers no earlier run has seen) and the project; a cold run
    starts without keyphrase cache and kept topics."""
    folder = WORK / str(count)
    dumps, extra, cache = folder / "dumps", folder / "extra", folder / "cache"
    if not dumps.exists():
        write_corpus(count, dumps)
    shutil.rmtree(extra, ignore_errors=True)
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
    write_corpus(count, extra, extra=INCREMENT, first_extra=_unseen_papers(folder, count, cold))
    project = folder / "project"
    if cold:
        shutil.rmtree(project, ignore_errors=True)  # its kept topics too: a cold build starts from nothing
    if (project / "mkdocs.yml").exists():
        _refresh_site_files(project)
    else:
        new_project(project, {"cache_dir": str(cache), "dumps": [str(dumps)]})


def run_one(count: int, kind: str) -> dict:
    """One build of a prepared project (``kind``: cold, warm or increment), in this process: its seconds,
    stage times and this process's peak memory, as a build from the command line would have them."""
    folder = WORK / str(count)
    dumps = [folder / "dumps", *sorted((folder / "extra").iterdir())] if kind == "increment" else None
    settings_file = folder / "project" / "site_config" / "digest.yml"
    settings = settings_file.read_text(encoding="utf-8")
    if kind == "words-only":
        settings_file.write_text(settings + "\nsearch: {semantic: false}\n", encoding="utf-8")
    try:
        return _timed_build(folder, count, dumps)
    finally:
        settings_file.write_text(settings, encoding="utf-8")


def _timed_build(folder: Path, count: int, dumps: list[Path] | None) -> dict:
    stages = StageTimes()
    logger = logging.getLogger("mkdocs.plugins.digest")
    logger.addHandler(stages)
    logger.setLevel(logging.INFO)
    start = time.perf_counter()
    site = build_site(folder / "project" / "mkdocs.yml", dumps=dumps, out=folder / "site")
    seconds = time.perf_counter() - start
    times = {stage: stages.last.get(stage, 0.0) for stage in STAGES}
    times["mkdocs"] = seconds - sum(times.values())
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {"seconds": seconds, **times, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "peak_before_mkdocs_mb": stages.peak_before_mkdocs_mb, "site_mb": size / 1e6,
            "kb_per_paper": size / 1e3 / (count + INCREMENT),
            "files": sum(1 for p in site.rglob("*") if p.is_file())}


def _refresh_site_files(project: Path) -> None:
    """A kept project gets this checkout's mkdocs.yml and site_config/ (theme overrides, scripts, styles),
    keeping its digest settings and kept topics, so a warm run measures the site as it is now."""
    settings = (project / "site_config" / "digest.yml").read_text(encoding="utf-8")
    shutil.rmtree(project / "site_config")
    (project / "mkdocs.yml").unlink()
    new_project(project)
    (project / "site_config" / "digest.yml").write_text(settings, encoding="utf-8")


def _unseen_papers(folder: Path, count: int, cold: bool) -> int:
    """The number of the increment's first paper: after ``count`` on a cold run, else past every earlier
    run's increment, so the increment's papers are never in the keyphrase cache already."""
    runs_file = folder / "increments"
    runs = 0 if cold or not runs_file.exists() else int(runs_file.read_text())
    runs_file.write_text(str(runs + 1))
    return count + runs * INCREMENT


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--one"]:
        logging.basicConfig(level=logging.WARNING)
        print(json.dumps(run_one(int(args[1]), args[2])))
        return
    cold = "--warm-only" not in args
    counts = [int(a) for a in args if a.isdigit()] or [2000, 5000, 20000]
    cpus = len(os.sched_getaffinity(0))
    print(f"machine: {platform.machine()}, {cpus} CPUs, Python {platform.python_version()}")
    print(f"{'papers':>6} {'build':<10} {'seconds':>8} " + " ".join(f"{s:>10}" for s in (*STAGES, "mkdocs"))
          + f" {'peak MB':>8} {'at MkDocs':>9}")
    warm = {}
    for count in counts:
        prepare(count, cold)
        results = {}
        kinds = ("cold", "warm", "increment") if cold else ("warm", "warm", "increment")
        for kind in (*kinds, "words-only"):
            output = subprocess.run([sys.executable, __file__, "--one", str(count), kind],
                                    check=True, capture_output=True, text=True).stdout
            row = results[kind] = json.loads(output.strip().splitlines()[-1])
            print(f"{count:>6} {kind:<10} {row['seconds']:>8.1f} "
                  + " ".join(f"{row[s]:>10.1f}" for s in (*STAGES, "mkdocs"))
                  + f" {row['peak_mb']:>8.0f} {row['peak_before_mkdocs_mb']:>9.0f}", flush=True)
        last = results["increment"]
        added = results["warm"]["seconds"] / results["words-only"]["seconds"] - 1
        print(f"{count:>6} search by meaning adds {added:.1%} to a warm build")
        print(f"{count:>6} peak memory {max(r['peak_mb'] for r in results.values()):.0f} MB (the most of one "
              f"build), site {last['site_mb']:.1f} MB ({last['kb_per_paper']:.1f} KB per paper, "
              f"{last['files']} files)")
        warm[count] = results["warm"]["seconds"]
    if len(warm) > 1:
        smallest, largest = min(warm), max(warm)
        print(f"warm-build growth {smallest} → {largest} papers: {warm[largest] / warm[smallest]:.1f}× "
              f"for {largest / smallest:.0f}× the papers")


if __name__ == "__main__":
    main()
