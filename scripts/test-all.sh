#!/usr/bin/env bash
# `npm test`: every check, in order of cost. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
# vitest 5 needs Map.groupBy (Node 21+) to report failures; Osprey itself runs on Node 20.
VITEST_NODE_OPTIONS="--import $PWD/test/node20-polyfills.mjs"

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

[ -d node_modules ] || npm ci --no-audit --no-fund

step "lint"
npx eslint .
step "typecheck"
npx tsc --noEmit
step "unit tests"
NODE_OPTIONS="$VITEST_NODE_OPTIONS" npx vitest run --project unit
step "integration tests (Postgres: $([ -n "${DATABASE_URL:-}" ] && echo "the DATABASE_URL server" || echo "embedded"))"
NODE_OPTIONS="$VITEST_NODE_OPTIONS" npx vitest run --project integration
step "production build"
bin/osprey build --if-stale
step "end-to-end tests (Chromium)"
npx playwright test
