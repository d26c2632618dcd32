#!/usr/bin/env bash
# Sets up the machine (idempotent) and runs every test: C tests, JUnit unit and eBPF
# integration tests, and the packaged-jar tests. Needs root: the eBPF tests load real
# programs into this kernel and fail, never skip, when they cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mvn -B -ntp verify "$@"
# The benchmark harness in its one-second smoke mode, so it cannot rot (no targets checked).
bash bench/run.sh --smoke
