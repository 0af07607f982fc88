#!/usr/bin/env bash
# Authenticated vs unauthenticated GET /api/v1/jobs/{id}, measured with wrk in alternating rounds.
# Basic auth uses a bcrypt cost-12 hash; the controller's credential cache should make the two
# within 20 % (CNCF distribution pays bcrypt on every request instead).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/packaging/dev/env.sh"
shoal_find_jdk
shoal_require_tools wrk:wrk curl:curl htpasswd:apache2-utils
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10s}; CONNECTIONS=${CONNECTIONS:-32}
PORT_AUTH=${PORT_AUTH:-18080}; PORT_NONE=${PORT_NONE:-18081}

"$root/shoal-controller" --version >/dev/null   # builds the jar when needed
jar="$root/controller/target/shoal-controller.jar"
work=$(mktemp -d /tmp/shoal-bench-auth.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

password="bench-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
hash=$(printf '%s' "$password" | "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" hash-password --cost 12)

start() { # PORT AUTH_MODE [extra env...]
  local port=$1 mode=$2; shift 2
  env -i PATH="$PATH" SHOAL_MODE=local CONTROLLER_HTTP_ADDR=127.0.0.1:$port STORAGE_ROOT="$work/data" \
      AUTH_MODE=$mode LOG_LEVEL=warn "$@" \
      "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m -jar "$jar" >"$work/$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "controller on port $port did not become ready:" >&2; cat "$work/$port.log" >&2; exit 1
}

start "$PORT_AUTH" basic BASIC_PASS_HASH="$hash"
start "$PORT_NONE" none
body='{"server":{"bmc_url":"https://10.0.0.5","username":"root","password":"x"},"recipe":{"kind":"image","url":"https://images.example.org/a.raw","checksum":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}'
id=$(curl -fs -u "admin:$password" -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$PORT_AUTH/api/v1/jobs" \
     | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
[ -n "$id" ] || { echo "could not create a job" >&2; exit 1; }
auth="Authorization: Basic $(printf 'admin:%s' "$password" | base64 -w0)"

rate() { # URL [header]
  local out
  if [ $# -gt 1 ]; then out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -H "$2" "$1"); else out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$1"); fi
  if echo "$out" | grep -q "Non-2xx"; then echo "wrk saw non-2xx answers:" >&2; echo "$out" >&2; exit 1; fi
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# warm-up (JIT) for both, not counted
rate "http://127.0.0.1:$PORT_AUTH/api/v1/jobs/$id" "$auth" >/dev/null
rate "http://127.0.0.1:$PORT_NONE/api/v1/jobs/$id" >/dev/null
basic=(); none=()
for r in $(seq 1 "$ROUNDS"); do
  basic+=("$(rate "http://127.0.0.1:$PORT_AUTH/api/v1/jobs/$id" "$auth")")
  none+=("$(rate "http://127.0.0.1:$PORT_NONE/api/v1/jobs/$id")")
  echo "round $r: basic ${basic[-1]} req/s, none ${none[-1]} req/s"
done
mb=$(printf '%s\n' "${basic[@]}" | median); mn=$(printf '%s\n' "${none[@]}" | median)
echo "GET /api/v1/jobs/{id}, wrk -t2 -c$CONNECTIONS -d$DURATION, $ROUNDS alternating rounds, $(nproc) cores"
echo "AUTH_MODE=basic (bcrypt cost 12): median $mb req/s"
echo "AUTH_MODE=none                  : median $mn req/s"
awk -v b="$mb" -v n="$mn" 'BEGIN { r = b / n; printf "ratio basic/none: %.3f (goal >= 0.80): %s\n", r, (r >= 0.8 ? "met" : "NOT met") }'
