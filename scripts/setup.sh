#!/usr/bin/env bash
# Set up a fresh Debian machine for hma_nb, idempotently: the apt libraries the simulators render
# with, CPU torch (first, so nothing pulls a CUDA build), then hma_nb itself in editable mode with
# its dev tools and simulators (one pip command: the simulators pin each other's versions).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

APT_PKGS=(libosmesa6 libegl1 libegl-mesa0 libgl1-mesa-dri ffmpeg chromium g++)   # chromium: the browser test (never `playwright install`); g++: `--compile` on a CPU
missing=()
for p in "${APT_PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] apt: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! $PY -c "import torch" 2>/dev/null; then
  echo "[setup] pip: CPU torch"
  $PY -m pip install -q --progress-bar off torch==2.13.0
fi
echo "[setup] pip: hma_nb with dev tools and simulators"
$PY -m pip install -q --progress-bar off -e ".[dev,sims]"
$PY -c "import hma_nb; print('[setup] hma_nb', hma_nb.__version__, 'ready')"
