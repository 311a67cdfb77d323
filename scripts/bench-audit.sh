#!/usr/bin/env bash
# The audit UI's pages over a log of a million records: the time to compute and write each page's
# JSON, and the replay of a scope to an instant (see docs/benchmarks.md).
#
#   bash scripts/bench-audit.sh [records]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench-common.sh
bench_run io.steward.bench.audit.AuditBenchmark 4g "" "$@"
