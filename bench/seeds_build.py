"""Cold and warm builds of the site from all of examples/seeds/: seconds, stages and peak memory.

Cold: an empty keyphrase cache (every paper embedded). Warm: the same build again with the cache full.
Run with `make bench` or `.venv/bin/python bench/seeds_build.py`.
"""

from __future__ import annotations

import logging
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.examples import SEED_DEFAULT_YEAR, SEEDS  # noqa: E402
from generator.cli import build_site  # noqa: E402
from generator.project import new_project  # noqa: E402


class StageTimes(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "Stage times" in record.getMessage():
            self.lines.append(record.getMessage().split("Stage times: ", 1)[1])


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    stages = StageTimes()
    logging.getLogger("mkdocs.plugins.digest").addHandler(stages)
    logging.getLogger("mkdocs.plugins.digest").setLevel(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = {"cache_dir": str(folder / "cache"), "dumps": [str(SEEDS)],
                    "default_year": SEED_DEFAULT_YEAR}
        config_file = new_project(folder / "project", settings)
        print(f"machine: {platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}")
        for run in ("cold", "warm"):
            start = time.perf_counter()
            build_site(config_file, out=folder / "site")
            seconds = time.perf_counter() - start
            print(f"{run:5s} build of 605 papers: {seconds:6.1f} s   {stages.lines[-1]}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:.0f} MB")


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
