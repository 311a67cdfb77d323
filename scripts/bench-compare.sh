#!/usr/bin/env bash
# Steward and Patroni side by side on this machine, in one run, with the same workload (see
# docs/benchmarks.md). A benchmark, not a test: it takes a while (about 40 minutes with the
# default 5 runs) and wants a quiet machine. Installs Patroni 3.0.2 from Debian if missing.
#
#   bash scripts/bench-compare.sh [--runs N] [--profiles defaults,fast] [--footprint-seconds 60]
#                                 [--out bench/target/compare.json]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-machine.sh # apt sources ready before Patroni is installed
if ! command -v patroni >/dev/null; then
  echo "bench: installing Patroni (Debian's patroni and python3-psycopg2)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q patroni python3-psycopg2 >/dev/null
fi
. scripts/bench-common.sh
bench_run io.steward.bench.compare.CompareMain 1g /tmp/steward-bench "$@"
