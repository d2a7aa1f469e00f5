#!/usr/bin/env bash
# One command: set everything up, create the archive home, ingest the sample documents, then run the inbox
# watcher and the web interface. Home: $ARCHIVER_HOME or ./archive-data. Web: http://127.0.0.1:8080/
# ($ARCHIVER_PORT to change). Stop with Ctrl-C (the watcher finishes the file in hand first).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ARCHIVER_HOME=${ARCHIVER_HOME:-$PWD/archive-data}
.venv/bin/archiver init
echo ">> importing the sample customer list and ingesting sample_docs/files" >&2
.venv/bin/archiver customers import sample_docs/customers.csv
.venv/bin/archiver ingest sample_docs/files || true   # already-archived samples report as duplicates
echo ">> watching $ARCHIVER_HOME/inbox — drop files there or upload them in the web interface" >&2
.venv/bin/archiver watch &
watcher=$!
trap 'kill -TERM $watcher 2>/dev/null || true; wait $watcher 2>/dev/null || true' EXIT
.venv/bin/archiver serve ${ARCHIVER_PORT:+--port "$ARCHIVER_PORT"}
