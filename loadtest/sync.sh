#!/usr/bin/env bash
# Partner-sync figures: a full sync of the change feed, the first and a
# cached prefix-set download, the export, and wrk on the cached answers a
# partner polls, each beside a minimal Fiber handler measured in the same
# run (loadtest/hello). Run it against a server on a synthetic database:
#
#   go run ./cmd/forewarn -database-url sqlite:/tmp/perf.db seed synthetic -warnings 100000 -reports 0 -indicators 1000000
#   go run ./cmd/forewarn -listen 127.0.0.1:8095 -database-url sqlite:/tmp/perf.db &
#   go run ./loadtest/hello -listen 127.0.0.1:8099 &
#   loadtest/sync.sh http://127.0.0.1:8095 http://127.0.0.1:8099/ SERVER_PID
#
# Needs curl, python3 and wrk. SERVER_PID (optional) adds the server's
# resident memory (VmRSS, VmHWM) before and after the export.
set -euo pipefail
BASE=${1:-http://127.0.0.1:8095}
HELLO=${2:-http://127.0.0.1:8099/}
PID=${3:-}
API=$BASE/api/v1
GZ=(-H 'Accept-Encoding: gzip')
mem() { [ -n "$PID" ] && grep -E 'VmRSS|VmHWM' /proc/"$PID"/status | tr -s ' \n' ' ' && echo || true; }
bench() { printf '%-46s ' "$1"; wrk -t2 -c64 -d"${DURATION:-10}"s "${GZ[@]}" "$2" | awk '/Requests\/sec/ {printf "%s req/s  ", $2} /Non-2xx/ {printf "non-2xx %s  ", $NF} /Latency/ {printf "latency avg %s", $2}'; echo; }

echo "== full sync of /changes (limit 200)"
start=$(date +%s.%N)
since=""; pages=0; items=0
while :; do
  out=$(curl -sf "$API/changes?limit=200${since:+&since=$since}")
  read -r since more n < <(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["next_since"], str(d["has_more"]).lower(), len(d["data"]))')
  pages=$((pages+1)); items=$((items+n))
  [ "$more" = true ] || break
done
echo "pages $pages, warnings $items, $(python3 -c "print(round($(date +%s.%N)-$start,1))") s"

echo "== prefixes: full set, first and second download"
mem
for i in 1 2; do
  curl -s -o /tmp/prefixes.json -w "download $i: status %{http_code}, %{size_download} bytes, %{time_total} s\n" "${GZ[@]}" --compressed "$API/indicators/prefixes"
done
token=$(python3 -c 'import json; print(json.load(open("/tmp/prefixes.json"))["token"])')
python3 -c 'import json; d=json.load(open("/tmp/prefixes.json")); print("count", d.get("count"))'

echo "== export (JSON Lines)"
mem
curl -s -o /dev/null -w "export: status %{http_code}, %{size_download} bytes, %{time_total} s\n" "$API/export/warnings.jsonl"
mem

echo "== wrk -t2 -c64, ${DURATION:-10} s each, gzip (cached answers)"
bench "hello (baseline)" "$HELLO"
bench "changes: first page of a full sync" "$API/changes"
bench "changes: poll with the last token" "$API/changes?since=$since"
bench "prefixes: poll with the last token" "$API/indicators/prefixes?since=$token"
bench "prefixes: a country's set, poll" "$API/indicators/prefixes?country=RO&since=$(curl -sf "$API/indicators/prefixes?country=RO" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
bench "hello (baseline, again)" "$HELLO"
