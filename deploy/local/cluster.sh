#!/usr/bin/env bash
# One command: build the service and the cluster harness (Release), start PostgreSQL + Redis + 2 replicas + nginx on
# 127.0.0.1, run the fault scenario under a bounded load (SIGKILL a replica and restart it, promote a model), print the
# figures, and stop everything, even when a step fails or the run is interrupted.
#
#   deploy/local/cluster.sh                    # faults, 30 s of load, 8 connections
#   deploy/local/cluster.sh --seconds 60 -c 16 --report /tmp/faults.json
#   deploy/local/cluster.sh --update-docs docs/reliability.md   # write the figures into the document
#
# Needs nginx, redis-server and PostgreSQL (Debian: apt-get install nginx redis-server postgresql) and the datasets
# (MOVIEREC_DATA, default ../shared/datasets beside the repository).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -z "${MOVIEREC_DATA:-}" ] && [ -d ../shared/datasets ]; then
  export MOVIEREC_DATA="$(cd ../shared/datasets && pwd)"
fi
for tool in nginx redis-server; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "cluster.sh: $tool is not installed" >&2; exit 2; }
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { echo "cluster.sh: PostgreSQL is not installed" >&2; exit 2; }

dir="$(mktemp -d -t movierec-cluster-XXXXXX)"
rmdir "$dir" # the harness creates it
harness=(dotnet bench/MovieRec.Cluster/bin/Release/net10.0/MovieRec.Cluster.dll)
cleanup() {
  # The harness stops its servers itself; this catches an interrupted or killed harness.
  if [ -f "$dir/cluster.json" ]; then "${harness[@]}" down --dir "$dir" || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

dotnet build bench/MovieRec.Cluster -c Release -nologo -v quiet
# Bounded defaults unless the arguments set them.
defaults=()
[[ " $* " == *" --seconds "* ]] || defaults+=(--seconds 30)
[[ " $* " == *" --connections "* || " $* " == *" -c "* ]] || defaults+=(--connections 8)
"${harness[@]}" faults --dir "$dir" "${defaults[@]}" "$@"
