#!/usr/bin/env bash
# Sets up what the test suite needs on a fresh machine, then runs it.
# The browser tests drive Debian's Chromium (no browser download); installing it needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "chromium is missing: run 'sudo apt-get install chromium' (needed by the browser tests)" >&2
    exit 1
  fi
fi
pip install -q -e '.[test,ocr,milvus]'  # ocr: the scanned-PDF test; milvus: the Milvus backend's tests on Milvus Lite
lint-imports  # the architecture contract in pyproject.toml: an upward import fails the build
exec python -m pytest "$@"
