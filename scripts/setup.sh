#!/usr/bin/env bash
# Create (or update) a virtual environment with rasd installed editable, tests included.
#   scripts/setup.sh            # -> .venv
#   scripts/setup.sh DIR        # -> DIR
# camel-tools depends on PyTorch; installing the CPU build first keeps the venv ~1.5 GB
# instead of several GB of CUDA wheels. If that exact build is unavailable, pip falls back
# to whatever torch camel-tools asks for.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.venv}"
py="${PYTHON:-python3}"
[ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if ! "$venv/bin/python" -c "import torch" >/dev/null 2>&1; then
  "$venv/bin/python" -m pip install -q torch==2.13.0 2>/dev/null \
    || "$venv/bin/python" -m pip install -q torch --index-url https://download.pytorch.org/whl/cpu 2>/dev/null \
    || echo "setup: no CPU-only torch available; camel-tools will pull the default build" >&2
fi
"$venv/bin/python" -m pip install -q -e '.[test]'
echo "setup: rasd installed in $venv ($("$venv/bin/rasd" --version))" >&2
