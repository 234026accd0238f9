"""Builds of large synthetic digests (bench/corpus.py): cold, warm, and one new 50-paper dump.

For each N: the cold build (empty keyphrase cache), the warm build (cache full), and the increment (a
warm site plus one new dump of 50 papers), each with its seconds and stage times (parse, keyphrases,
summaries, related, topics, watchlists, render, feeds and exports, search, and MkDocs: the rest); then
the peak memory of the three and the site's size per paper.
Each N runs in its own process, so peak memory is its own.

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
STAGES = ("parse", "keyphrases", "summaries", "related", "topics", "watchlists", "render", "feeds", "search")


class StageTimes(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.last: dict[str, float] = {}
        self.peaks_before_mkdocs_mb: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Stage times: " in message:
            self.peaks_before_mkdocs_mb.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        if "Stage times: " in message:
            pairs = re.findall(r"(\w+) ([\d.]+) s", message.split("Stage times: ", 1)[1])
            self.last = {name: float(seconds) for name, seconds in pairs}


def run_one(count: int, cold: bool) -> dict:
    folder = WORK / str(count)
    dumps, extra, cache = folder / "dumps", folder / "extra", folder / "cache"
    if not dumps.exists():
        write_corpus(count, dumps)
    shutil.rmtree(extra, ignore_errors=True)
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
    (new_dump,) = write_corpus(count, extra, extra=INCREMENT, first_extra=_unseen_papers(folder, count, cold))
    project = folder / "project"
    if cold:
        shutil.rmtree(project, ignore_errors=True)  # its kept topics too: a cold build starts from nothing
    config_file = project / "mkdocs.yml"
    if config_file.exists():
        _refresh_site_files(project)
    else:
        new_project(project, {"cache_dir": str(cache), "dumps": [str(dumps)]})
    stages = StageTimes()
    logger = logging.getLogger("mkdocs.plugins.digest")
    logger.addHandler(stages)
    logger.setLevel(logging.INFO)
    site = folder / "site"
    result = {"papers": count, "cpus": len(os.sched_getaffinity(0))}
    runs = [("cold", None), ("warm", None), ("increment", [dumps, new_dump])] if cold else [
        ("warm", None), ("warm", None), ("increment", [dumps, new_dump])]
    for name, dump_paths in runs:
        start = time.perf_counter()
        build_site(config_file, dumps=dump_paths, out=site)
        seconds = time.perf_counter() - start
        times = {stage: stages.last.get(stage, 0.0) for stage in STAGES}
        times["mkdocs"] = seconds - sum(times.values())
        result[name] = {"seconds": seconds, **times}
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peaks_before_mkdocs_mb"] = stages.peaks_before_mkdocs_mb
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    result["site_mb"] = size / 1e6
    result["kb_per_paper"] = size / 1e3 / (count + INCREMENT)
    result["files"] = sum(1 for p in site.rglob("*") if p.is_file())
    return result


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
        print(json.dumps(run_one(int(args[1]), cold=args[2] == "cold")))
        return
    cold = "--warm-only" not in args
    counts = [int(a) for a in args if a.isdigit()] or [2000, 5000, 20000]
    cpus = len(os.sched_getaffinity(0))
    print(f"machine: {platform.machine()}, {cpus} CPUs, Python {platform.python_version()}")
    print(f"{'papers':>6} {'build':<9} {'seconds':>8} " + " ".join(f"{s:>10}" for s in (*STAGES, "mkdocs")))
    warm = {}
    for count in counts:
        output = subprocess.run([sys.executable, __file__, "--one", str(count), "cold" if cold else "warm"],
                                check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        for name in ("cold", "warm", "increment"):
            if name in result:
                row = result[name]
                print(f"{count:>6} {name:<9} {row['seconds']:>8.1f} "
                      + " ".join(f"{row[s]:>10.1f}" for s in (*STAGES, "mkdocs")))
        before = ", ".join(f"{mb:.0f}" for mb in result["peaks_before_mkdocs_mb"])
        print(f"{count:>6} peak memory {result['peak_mb']:.0f} MB (peak so far when each build reached "
              f"MkDocs: {before} MB), site {result['site_mb']:.1f} MB "
              f"({result['kb_per_paper']:.1f} KB per paper, {result['files']} files)")
        warm[count] = result["warm"]["seconds"]
    if len(warm) > 1:
        smallest, largest = min(warm), max(warm)
        print(f"warm-build growth {smallest} → {largest} papers: {warm[largest] / warm[smallest]:.1f}× "
              f"for {largest / smallest:.0f}× the papers")


if __name__ == "__main__":
    main()
