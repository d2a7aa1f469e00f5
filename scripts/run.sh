#!/usr/bin/env bash
# One command: set everything up, create the archive home, ingest the sample documents, watch the inbox.
# Home: $ARCHIVER_HOME or ./archive-data. Stop with Ctrl-C (the file in hand is finished first).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ARCHIVER_HOME=${ARCHIVER_HOME:-$PWD/archive-data}
.venv/bin/archiver init
echo ">> importing the sample customer list and ingesting sample_docs/files" >&2
.venv/bin/archiver customers import sample_docs/customers.csv
.venv/bin/archiver ingest sample_docs/files || true   # already-archived samples report as duplicates
echo ">> watching $ARCHIVER_HOME/inbox — drop files there (Ctrl-C to stop)" >&2
exec .venv/bin/archiver watch
