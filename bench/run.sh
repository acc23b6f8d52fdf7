#!/bin/sh
# Archive-scale benchmark of newsidx against Xapian's omindex; see bench/bench.py.
#   bench/run.sh 10000
set -eu
cd "$(dirname "$0")/.."
exec python3 bench/bench.py "$@"
