"""The GitHub Pages workflow builds with the README's command and publishes what it built."""

from __future__ import annotations

import re

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
    assert runs == ["make site"] and "make site" in readme
    built = next(step for step in build if step.get("run") == "make site")
    assert built["env"]["SITE_URL"].startswith("${{ steps.pages.outputs.base_url }}")
    uploads = [step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert uploads and uploads[0]["with"]["path"] == "site"
    mkdocs = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^site_dir: site$", mkdocs, re.M) and "site_url: !ENV [SITE_URL" in mkdocs
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
