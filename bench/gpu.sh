#!/usr/bin/env bash
# make bench-gpu: a Python with a CUDA torch and the project's needs, then bench/gpu.py (arguments passed on).
# A python3 that already sees a GPU is used as it is; otherwise .venv-gpu gets PyPI's default Linux torch,
# which is a CUDA build (several GB). On a machine with no registry, the project's needs travel as wheels
# in .whl/ (see docs/performance.md, "Keyphrases on a GPU").
set -euo pipefail
cd "$(dirname "$0")/.."
PY=python3
if ! "$PY" -c 'import sys, torch; sys.exit(not torch.cuda.is_available())' 2>/dev/null; then
  echo "Installing a CUDA torch into .venv-gpu"
  python3 -m venv .venv-gpu
  PY=.venv-gpu/bin/python
  "$PY" -m pip install --quiet --upgrade pip
  "$PY" -m pip install --quiet torch
fi
if [ -d .whl ]; then
  "$PY" -m pip install --quiet --no-index --no-deps --no-compile --target /tmp/digest-gpu-site .whl/*.whl
  export PYTHONPATH=/tmp/digest-gpu-site
else
  "$PY" -m pip install --quiet -e .
fi
export PYTHONUNBUFFERED=1
exec "$PY" bench/gpu.py "$@"
