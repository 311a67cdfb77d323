#!/usr/bin/env bash
# Worker switchovers, restarts of the worker primary and worker failovers in the Citus field guide's
# topology, with a client inserting through the coordinator: the longest statement, the failed
# statements, and where each pause went (see docs/benchmarks.md). A benchmark, not a test: it wants
# a quiet machine.
#
#   bash scripts/bench-citus.sh [--switchovers 10] [--restarts 3] [--failovers 3]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
bench_run io.steward.bench.citus.CitusSwitchoverBenchmark 1g /tmp/steward-bench-citus "$@"
