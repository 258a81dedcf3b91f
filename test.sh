#!/usr/bin/env bash
# Runs the tests: by default the fast tier (every test not tagged [Trait("Category", "Slow")]); --slow runs only the
# slow tier (accuracy on real data, the browser tests, the service's restart, race and fault scenarios, the cluster
# fault scenario, the README walk-through), --all runs both. Other
# arguments go to `dotnet test` (a --filter is combined with the tier's). Tests tagged [Trait("RunsAlone", "true")]
# (they compare latencies over time, so other test projects' load must not come and go under them, or they need the
# machine's cores to finish within their bounds) run after the others, one project at a time. Installs what the tests need on a fresh Debian machine (when run as root) and points
# MOVIEREC_DATA at ../shared/datasets unless it is already set.
set -euo pipefail
cd "$(dirname "$0")"

tier=fast
filter=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --slow) tier=slow ;;
    --all) tier=all ;;
    --fast) tier=fast ;;
    --filter) filter="${2:?--filter needs an expression}"; shift ;;
    --filter=*) filter="${1#--filter=}" ;;
    *) args+=("$1") ;;
  esac
  shift
done
case "$tier" in
  fast) tier_filter="Category!=Slow" ;;
  slow) tier_filter="Category=Slow" ;;
  all) tier_filter="" ;;
esac
# The filter of a phase: the caller's, the tier's and the phase's, all of them.
and_filter() {
  local result="" part
  for part in "$@"; do
    [ -n "$part" ] || continue
    if [ -z "$result" ]; then result="$part"; else result="($result)&$part"; fi
  done
  printf '%s' "$result"
}
together_filter=$(and_filter "$filter" "$tier_filter" "RunsAlone!=true")
alone_filter=$(and_filter "$filter" "$tier_filter" "RunsAlone=true")
# The projects holding tests that run alone.
mapfile -t alone_projects < <(grep -rl --include='*.cs' 'Trait("RunsAlone", "true")' tests 2>/dev/null | cut -d/ -f1-2 | sort -u)
# The fast tier skips a project whose every RunsAlone attribute shares its attribute block (the attribute and comment
# lines above one member) with Category=Slow: its alone run would match no test and cost a test host's start-up.
# Anything else (a RunsAlone without Slow in its block, or a Slow on the class) keeps the project, so a fast test
# tagged RunsAlone still runs.
if [ "$tier" = fast ]; then
  kept=()
  for project in "${alone_projects[@]}"; do
    if grep -rl --include='*.cs' 'Trait("RunsAlone", "true")' "$project" | xargs awk '
      /^[[:space:]]*(\[|\/\/)/ { if ($0 ~ /Trait\("RunsAlone", "true"\)/) alone = 1; if ($0 ~ /Trait\("Category", "Slow"\)/) slow = 1; next }
      { if (alone && !slow) fast = 1; alone = 0; slow = 0 }
      END { exit fast ? 0 : 1 }'; then
      kept+=("$project")
    fi
  done
  alone_projects=("${kept[@]}")
fi

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

echo "test.sh: $tier tier (--filter \"$together_filter\")"
log=$(mktemp)
set +e
# Build first, with every core, then start the test projects together: built and tested project by project, the
# service tests (the longest) waited for a build node until the others' tests were done.
built=0
for a in "${args[@]}"; do [ "$a" != --no-build ] || built=1; done
if [ "$built" = 0 ]; then
  # The C# compiler server: one warm compiler for every project instead of a cold one per project (a clean build on 2
  # cores 102-108 s -> 82-83 s). Shut down after the build, unless it was running before, so no process outlives test.sh.
  compiler_was_running=0
  pgrep -f VBCSCompiler >/dev/null 2>&1 && compiler_was_running=1
  stop_compiler() { [ "$compiler_was_running" = 1 ] || dotnet build-server shutdown --vbcscompiler >/dev/null 2>&1 || true; }
  trap stop_compiler EXIT # also when the build is interrupted
  dotnet build MovieRec.slnx -c Release -p:UseSharedCompilation=true 2>&1 | tee "$log"
  build_status=${PIPESTATUS[0]}
  stop_compiler
  trap - EXIT
  [ "$build_status" = 0 ] || { echo "test.sh: the build failed" >&2; rm -f "$log"; exit 1; }
  args+=(--no-build)
fi
# Every test project at once (MSBuild's default is one per core): the service and browser tests wait on servers and
# start-ups, so more projects than cores keep both cores busy. A later -m:N (or -maxcpucount:N) among the arguments
# overrides it.
dotnet test MovieRec.slnx -c Release -maxcpucount:8 "${args[@]}" --filter "$together_filter" 2>&1 | tee -a "$log"
status=${PIPESTATUS[0]}
# Every tier: a test tagged RunsAlone outside the slow tier must run too, never be filtered out silently.
for project in "${alone_projects[@]}"; do
  echo "test.sh: alone: $project (--filter \"$alone_filter\")"
  dotnet test "$project" -c Release "${args[@]}" --filter "$alone_filter" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
done
set -e

# One plain closing line for CI: the sum over every test project. A run that ran no test at all fails (a tier or
# filter that matches nothing must not pass silently).
# The minimal logger prints one "Passed!  - Failed: 0, Passed: N, ..." line per project; a console logger at normal or
# detailed verbosity prints a "Total tests:" block with "Passed: N" lines instead: counted only when there is no line
# of the first kind, so a log holding both is not counted twice.
awk '/(Passed|Failed|Skipped)!/ {
  for (i = 1; i <= NF; i++) {
    if ($i == "Failed:") f += $(i + 1) + 0
    if ($i == "Passed:") p += $(i + 1) + 0
    if ($i == "Skipped:") s += $(i + 1) + 0
  }
  next
}
/^Total tests: [0-9]+/ { block = 1; next }
block && /^ +(Passed|Failed|Skipped): [0-9]+ *$/ {
  if ($1 == "Passed:") bp += $2; else if ($1 == "Failed:") bf += $2; else bs += $2
  next
}
block && !/^ +(Passed|Failed|Skipped|Total time):/ { block = 0 }
END {
  if (p + f + s == 0) { p = bp; f = bf; s = bs }
  printf "tests: %d passed, %d failed, %d skipped\n", p, f, s; exit (p + f == 0) ? 3 : 0
}' "$log" || { [ "$status" != 0 ] || status=1; echo "test.sh: no test ran" >&2; }
rm -f "$log"
exit "$status"
