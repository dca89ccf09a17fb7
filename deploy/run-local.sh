#!/usr/bin/env bash
# The production recipe on this machine, on 127.0.0.1 only: two `bezpieczny serve` instances behind nginx
# (temporary prefix, nothing installed or left running). Proves that
#   (a) with 50 slow clients holding unfinished requests, a page request answers in under 1 s
#       (on an instance directly, i.e. the embedded default, and through nginx);
#   (b) DURATION seconds (default 60) of load through nginx while one instance is stopped and restarted
#       give 0 failed requests.
# Usage: deploy/run-local.sh [DURATION] [extra options of deploy/localstack.py]
# Needs a built warehouse (`bezpieczny build`) and Debian nginx-light; ports from BEZPIECZNY_LOCAL_PORTS
# (default 8250-8299). Exit code 0 when both hold.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-60}"
shift || true
exec "${PYTHON:-.venv/bin/python}" deploy/localstack.py --duration "$duration" \
  --results benchmarks/results/local_stack.json "$@"
