#!/usr/bin/env bash
# One command: set everything up and run the full test suite (real Tesseract, real files, ../shared/corpus,
# a real browser for the web interface). Screenshots of the web pages land in test-artifacts/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
