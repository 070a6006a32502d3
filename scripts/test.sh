#!/usr/bin/env bash
# The one test command (`npm test`): builds, lints, brings the native stack up (unless it is already up, or
# STACK_SOURCE=compose lets testcontainers start docker-compose.yml), runs every tier — unit,
# integration (with a bounded chaos run), browser — and a short smoke run of each benchmark, and
# brings the stack down again if it started it (KEEP_STACK=1 keeps it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source stack/lib.sh

results="$STACK_DIR/test-results"
mkdir -p "$results"
rm -f "$results"/*.json

started_stack=0
if [ "${STACK_SOURCE:-native}" = native ]; then
  if ! is_running connect; then started_stack=1; fi
  bash stack/up.sh >/dev/null
fi
cleanup() {
  if [ "$started_stack" = 1 ] && [ -z "${KEEP_STACK:-}" ]; then bash stack/down.sh; fi
}
trap cleanup EXIT

echo "== build (type-checks every package)"
npm run build --silent

status=0
# Steps that failed outside the test tiers, said again at the end (the test summary names failed tests).
failed_steps=()
echo "== lint (tsc over every file, tests included; typescript-eslint with type-aware rules; Prettier; zero warnings allowed)"
npm run --silent lint || { echo "lint failed"; failed_steps+=(lint); status=1; }
echo "== unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$results/unit.json" || status=1
echo "== integration tests (real Postgres, Kafka, Connect + Debezium)"
npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$results/integration.json" || status=1
echo "== browser tests (Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/browser.json" \
  npx playwright test -c web-client/playwright.config.ts --reporter=list,json || status=1

echo "== benchmark smoke runs (each benchmark briefly, so they never rot)"
npm run --silent bench:smoke || { echo "bench:smoke failed"; failed_steps+=(bench:smoke); status=1; }

node scripts/test-summary.mjs "$results" || status=1
if [ ${#failed_steps[@]} -gt 0 ]; then echo "failed steps: ${failed_steps[*]} (their output is above)"; fi
exit "$status"
