"""`digest serve` picks up an added or changed dump without a restart."""

from __future__ import annotations

import gzip
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .conftest import EXAMPLE_DUMPS, make_project

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _paper_count(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return len(json.loads(gzip.decompress(response.read()))["papers"])
    except (urllib.error.URLError, ConnectionError, ValueError, KeyError):
        return None


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_serve_rebuilds_when_a_dump_is_added(tmp_path, keyphrase_cache):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    shutil.copy(EXAMPLE_DUMPS / "2025-03-12.txt", dumps)
    config_file = make_project(tmp_path / "project", keyphrase_cache, dumps=[str(dumps)])
    port = _free_port()
    url = f"http://127.0.0.1:{port}/papers.json.gz"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "-f", str(config_file),
         "--dev-addr", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        assert _wait_for(lambda: _paper_count(url) == 7, 180), "the first build was never served"
        shutil.copy(EXAMPLE_DUMPS / "2025-03-13.txt", dumps)
        assert _wait_for(lambda: _paper_count(url) == 14, 180), "the added dump never reached the site"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
