"""Parser speed on a large dump: a 50 MB file of made-up entries in the rich layout.

    .venv/bin/python bench/parse.py [MEGABYTES]
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.ingest.parse import parse_dump  # noqa: E402

SENTENCE = "We study a problem that matters, with a method that is simple and works on every benchmark. "


def write_dump(path: Path, megabytes: int) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < megabytes * 1_000_000:
            out.write(f"A Study of Problem {count}\nProblem {count}. {SENTENCE * 6}\nacme Lab\n• 4 authors\n·\n"
                      f"Mar {1 + count % 28}, 2024 {count % 300}\n")
            count += 1
    return count


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        written = write_dump(path, megabytes)
        start = time.perf_counter()
        dump = parse_dump(path)
        seconds = time.perf_counter() - start
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"{megabytes} MB, {written} entries written, {len(dump.entries)} read, "
          f"{len(dump.problems)} problems, "
          f"{seconds:.1f} s ({megabytes / seconds:.1f} MB/s)")


if __name__ == "__main__":
    main()
