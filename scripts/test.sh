#!/usr/bin/env bash
# Install everything the test suite needs, then run the whole suite.
# Usage: bash scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}

# Debian's Chromium for the browser tests (Playwright's own browser download
# does not work offline); Node.js runs the extension's unit tests.
if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# A CJK font so screenshots of Chinese pages are readable (small package).
if ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null || true
fi
# PostgreSQL and Redis for the scale-out tests: without KINDSHIELD_TEST_DATABASE_URL/_REDIS_URL the
# test session starts its own throwaway instances from these binaries (tests/scale/throwaway.py).
if ! command -v redis-server >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "== installing postgresql and redis-server (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql redis-server >/dev/null
fi
if ! command -v node >/dev/null 2>&1; then
  echo "== installing nodejs (Debian)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs >/dev/null
fi

# esbuild (pinned in extension/package.json): the node tests then also check that rebuilding the
# committed content-script bundle gives the same bytes (without it they check its source digest).
if command -v npm >/dev/null 2>&1 && [ ! -d extension/node_modules/esbuild ]; then
  (cd extension && npm ci --no-audit --no-fund --ignore-scripts) || echo "== npm ci failed: bundle rebuild check will be skipped"
fi

echo "== installing kindshield with the server, training and test extras"
# torch first, by exact version: the CPU build (plain 'torch' would pull CUDA).
$PY -m pip install -q torch==2.13.0
$PY -m pip install -q -e ".[server,train,dev,bench]"

echo "== lint (ruff, settings in ruff.toml)"
$PY -m ruff check .

echo "== running the tests"
exec $PY -m pytest "$@"
