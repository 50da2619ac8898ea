#!/usr/bin/env bash
# Set everything up, then run the whole test suite: the notebooks (nbdev_test; cells flagged
# `slow` are skipped, run them with `nbdev_test --flags slow`) and the pytest suite.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
export MPLBACKEND=Agg
status=0
echo "[test] notebooks: nbdev_test"
# two notebooks at a time on the two cores, one math thread each: two 2-thread kernels oversubscribe the cores and
# small-op notebooks then crawl (measured: the notebook phase 3 min this way, about 10 min with default threads)
OMP_NUM_THREADS=1 nbdev_test --n_workers 2 --timing || status=1
echo "[test] pytest"
python3 -m pytest -q --durations=30 tests || status=1
exit $status
