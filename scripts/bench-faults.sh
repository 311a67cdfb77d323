#!/usr/bin/env bash
# The fault matrix many times (docs/reliability.md): every scenario 20 times in asynchronous and in
# synchronous mode, each on a group whose components run on hosts of their own (network namespaces,
# so root is needed), with an application writer and an independent prober writing to every member.
# Prints each run and a table: runs, split-brain overlaps, acknowledged writes lost, write
# unavailability and convergence (median and maximum), spurious failovers. A benchmark, not a test:
# it takes hours at 20 runs, and wants a quiet machine.
#
#   bash scripts/bench-faults.sh [--runs 20] [--modes async,sync] [--scenarios NAME,...] [--out FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
bench_run io.steward.bench.faults.FaultBenchmark 1g /tmp/steward-bench-faults "$@"
