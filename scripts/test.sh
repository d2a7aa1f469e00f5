#!/usr/bin/env bash
# One command: set everything up and run the full test suite (real Tesseract, real files, ../shared/corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
