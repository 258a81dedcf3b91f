#!/usr/bin/env bash
# Runs every test. Installs what the tests need on a fresh Debian machine (when run as root) and points
# MOVIEREC_DATA at ../shared/datasets unless it is already set.
set -euo pipefail
cd "$(dirname "$0")"

if [ -z "${MOVIEREC_DATA:-}" ] && [ -d ../shared/datasets ]; then
  export MOVIEREC_DATA="$(cd ../shared/datasets && pwd)"
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# System packages the tests use: python3-onnx builds the tiny BERT model for the semantic-search tests; the service
# tests start real PostgreSQL and Redis servers; the browser tests drive Debian's Chromium through chromedriver;
# kubernetes-client (kubectl) renders the kustomize overlays for the deployment tests.
need=()
/usr/bin/python3 -c "import onnx, numpy" 2>/dev/null || need+=(python3-onnx python3-numpy)
command -v redis-server >/dev/null || need+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
command -v nginx >/dev/null || need+=(nginx)
command -v kubectl >/dev/null || need+=(kubernetes-client)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "test.sh: the tests need these Debian packages: ${need[*]} (run as root, or install them)" >&2
    exit 1
  fi
fi

log=$(mktemp)
set +e
dotnet test MovieRec.slnx -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line for CI: the sum over every test project.
awk '/(Passed|Failed)!/ {
  for (i = 1; i <= NF; i++) {
    if ($i == "Failed:") f += $(i + 1) + 0
    if ($i == "Passed:") p += $(i + 1) + 0
    if ($i == "Skipped:") s += $(i + 1) + 0
  }
} END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
