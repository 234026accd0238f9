"""The Ray engine of the keyphrase stage, on a local Ray instance (skipped when Ray is not installed, except
where DIGEST_REQUIRE_RAY is set, as `.ci/run` sets it: there a missing Ray fails)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from generator.analysis.engines.local import KeyphraseExtractor
from generator.analysis.keyphrases import extract_keyphrases, settings_fingerprint
from generator.cli import build_site
from generator.config import KeyphraseSettings
from generator.records import Paper

from .conftest import SEED_DEFAULT_YEAR, SEEDS, make_project
from .test_keyphrases import DIFFUSION, SPEECH, VIDEO

pytestmark = pytest.mark.slow

if os.environ.get("DIGEST_REQUIRE_RAY"):
    import ray
else:
    ray = pytest.importorskip("ray", reason="Ray is optional: pip install .[ray]")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_actors_rank_batches_exactly_as_the_local_engine_does(local_ray, monkeypatch):
    import generator.analysis.engines.ray as distributed

    monkeypatch.setattr(distributed, "SLICE_TEXTS", 1)
    settings = KeyphraseSettings(top_n=4, engine="ray", ray_actors=2)
    texts = [SPEECH, DIFFUSION, VIDEO]
    phrases, vectors = distributed.extract_on_ray(texts, settings)
    local, local_vectors = KeyphraseExtractor(settings).extract_with_embeddings(texts, progress=False)
    assert phrases == local
    assert vectors.shape == (3, 384)
    assert (vectors * local_vectors).sum(axis=1).min() > 0.999


def test_the_build_uses_ray_when_configured_and_shares_the_cache(local_ray, tmp_path):
    settings = KeyphraseSettings(top_n=3, engine="ray")
    papers = [Paper(id=str(i), title=t.split(". ", 1)[0], abstract=t.split(". ", 1)[1], sightings=[])
              for i, t in enumerate([SPEECH, DIFFUSION])]
    _, counts = extract_keyphrases(papers, settings, tmp_path)
    assert counts == {"cached": 0, "extracted": 2}
    assert all(p.keyphrases for p in papers)
    local = dataclasses.replace(settings, engine="local")
    assert settings_fingerprint(local) == settings_fingerprint(settings)
    assert extract_keyphrases(papers, local, tmp_path)[1] == {"cached": 2, "extracted": 0}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_seeds_built_on_ray_are_the_local_build_byte_for_byte(local_ray, tmp_path):
    sites = {}
    for engine in ("ray", "local"):
        config_file = make_project(tmp_path / engine, tmp_path / engine / "cache", dumps=[str(SEEDS)],
                                   default_year=SEED_DEFAULT_YEAR, keyphrases={"engine": engine})
        sites[engine] = _snapshot(build_site(config_file))
    assert len(sites["ray"]) > 600
    assert sites["ray"].keys() == sites["local"].keys()
    assert [name for name in sites["ray"] if sites["ray"][name] != sites["local"][name]] == []
