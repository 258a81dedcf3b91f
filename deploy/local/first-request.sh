#!/usr/bin/env bash
# The first recommendation request of a fresh start (docs/reliability.md, "Requests before ready"): starts the built
# service (Release) on an empty data folder, POSTs /api/v1/recommendations with 5 ratings as soon as the port opens,
# and prints how long that took, when a request naming no algorithm first gets the default's list, and when
# /health/ready turned green. The service is stopped at the end.
#   deploy/local/first-request.sh [PORT] [REPOSITORY]   (MOVIEREC_DATA: the datasets folder, default ../shared/datasets)
set -euo pipefail
port=${1:-5600}
root=$(cd "${2:-$(dirname "$0")/../..}" && pwd)
data=${MOVIEREC_DATA:-$(cd "$root/../shared/datasets" && pwd)}
default=$(grep -o 'DefaultAlgorithm { get; set; } = "[^"]*"' "$root/src/MovieRec.Web/Hosting/MovieRecOptions.cs" | cut -d'"' -f2)
folder=$(mktemp -d)
log=$folder.log
cd "$root/src/MovieRec.Web"
MOVIEREC_DATA=$data MovieRec__DataDirectory=$folder MovieRec__RateLimitPerMinute=0 \
  dotnet bin/Release/net10.0/MovieRec.Web.dll --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$folder" "$log"' EXIT
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
start=$(now)
until curl -s -o /dev/null "http://127.0.0.1:$port/health/live"; do sleep 0.05; done
echo "port open after $(since "$start") s"
body='{"ratings":[{"movieId":1,"rating":5},{"movieId":2355,"rating":4.5},{"movieId":3114,"rating":5},{"movieId":4886,"rating":4},{"movieId":6377,"rating":5}],"n":10}'
first=$(curl -s -H 'Content-Type: application/json' -d "$body" -w '\n%{time_total}' "http://127.0.0.1:$port/api/v1/recommendations")
echo "first request: $(tail -1 <<<"$first") s, answered $(since "$start") s after launch"
head -1 <<<"$first" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("  algorithm", d["algorithm"], "| notice:", d.get("notice"))'
until curl -s -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/api/v1/recommendations" | grep -q "\"algorithm\":\"$default\""; do sleep 0.25; done
echo "the default's ($default) list from $(since "$start") s after launch"
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; do sleep 0.2; done
echo "ready after $(since "$start") s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
