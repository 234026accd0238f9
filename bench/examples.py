"""The data the benches read, all inside the repository: the real seed dumps and the Inspec dev set."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "seeds"
SEED_DEFAULT_YEAR: int = yaml.safe_load((REPO / "examples" / "seeds.yml").read_text())["default_year"]
"""The seed pages write dates without a year."""
INSPEC = REPO / "bench" / "data" / "inspec-dev"
EXAMPLE_DUMPS = REPO / "dumps"
