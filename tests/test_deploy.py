"""The GitHub Pages workflow builds with the README's command and publishes what it built."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import yaml

from .conftest import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


def test_workflow_builds_on_push_and_daily_and_publishes_the_site():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert triggers["push"]["branches"] == ["main"]
    (schedule,) = triggers["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"] and minute.isdigit() and hour.isdigit(), "once a day"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]["steps"]
    runs = [step["run"] for step in build if "run" in step]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert runs[-1] == "make site" and "make site" in readme
    built = next(step for step in build if step.get("run") == "make site")
    assert built["env"]["SITE_URL"].startswith("${{ steps.pages.outputs.base_url }}")
    uploads = [step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert uploads and uploads[0]["with"]["path"] == "site"
    mkdocs = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^site_dir: site$", mkdocs, re.M) and "site_url: !ENV [SITE_URL" in mkdocs
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def _restore_step() -> dict:
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    (step,) = [s for s in steps if "digest-topics.json" in s.get("run", "")]
    return step


def test_the_workflow_restores_the_published_topics_when_its_cache_is_gone(tmp_path, seeds_site):
    """The workflow's own step, run against a server that publishes the seeds site."""
    step = _restore_step()
    assert step["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SimpleHTTPRequestHandler,
                                                                     directory=str(seeds_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        def run(site_url: str) -> subprocess.CompletedProcess:
            env = {**os.environ, "SITE_URL": site_url, "RUNNER_TEMP": str(tmp_path)}
            return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=runner, env=env, capture_output=True,
                                  text=True, check=True)

        runner = tmp_path / "runner"
        runner.mkdir()
        published = (seeds_site / "digest-topics.json").read_bytes()
        assert "No published topics yet" in run(f"http://127.0.0.1:{server.server_port}/nowhere/").stdout
        assert not (runner / ".cache" / "digest-topics.json").exists()
        assert "Kept topics restored" in run(f"http://127.0.0.1:{server.server_port}/").stdout
        assert (runner / ".cache" / "digest-topics.json").read_bytes() == published
        (runner / ".cache" / "digest-topics.json").write_text("the cache's own", encoding="utf-8")
        run(f"http://127.0.0.1:{server.server_port}/")
        assert (runner / ".cache" / "digest-topics.json").read_text(encoding="utf-8") == "the cache's own"
    finally:
        server.shutdown()
