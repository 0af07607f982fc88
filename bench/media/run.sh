#!/usr/bin/env bash
# 64 KiB Range GETs on a 400 MiB ISO from Shoal's media server, as the maintenance ISO under /static/ and as
# a signed task ISO under /media/tasks/, next to Debian's nginx serving the same file (sendfile on), measured
# with wrk in alternating rounds. BMCs read virtual media in ranges like these; goal: at least nginx's rate.
# Every answer must be 206 (range.lua counts the others); a run with any other answer does not count.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/bench/media"
. "$root/packaging/dev/env.sh"
shoal_find_jdk
shoal_require_tools wrk:wrk curl:curl nginx:nginx-light
ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10s}; CONNECTIONS=${CONNECTIONS:-32}; THREADS=${THREADS:-2}
WARMUP=${WARMUP:-5s}; SIZE_MIB=${SIZE_MIB:-400}
# warn, like the other benchmarks: at info Shoal writes an access log line per request, nginx here none
SHOAL_LOG_LEVEL=${SHOAL_LOG_LEVEL:-warn}
size=$((SIZE_MIB * 1024 * 1024))

PORT_SHOAL=${PORT_SHOAL:-$(free_port)}; PORT_NGINX=${PORT_NGINX:-$(free_port "$PORT_SHOAL")}

"$root/shoal-controller" --version >/dev/null   # builds the jar when needed
jar="$root/controller/target/shoal-controller.jar"
work=$(mktemp -d /tmp/shoal-bench-media.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
chmod 0755 "$work"   # nginx runs as nobody when we are root

avail=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
[ "$avail" -gt $((size / 1024 + 102400)) ] || { echo "not enough space in $work for a $SIZE_MIB MiB file" >&2; exit 1; }

# the ISO: random bytes (no holes, nothing compressible), one inode for all three URLs (hard links), so
# every server reads the same pages from the same page cache
mkdir -m 0755 "$work/www"
iso="$work/www/bench.iso"
head -c "$size" /dev/urandom >"$iso"
chmod 0644 "$iso"   # task ISOs are 0600 in production; nginx (nobody) must read this one too

# --- Shoal, local mode, its own STORAGE_ROOT
data="$work/shoal"
env -i PATH="$PATH" SHOAL_MODE=local CONTROLLER_HTTP_ADDR="127.0.0.1:$PORT_SHOAL" STORAGE_ROOT="$data" \
    AUTH_MODE=none DRAIN=true LOG_LEVEL="$SHOAL_LOG_LEVEL" \
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m -jar "$jar" >"$work/shoal.log" 2>&1 &
pids+=($!); shoal_pid=$!
ready() { # URL LOG NAME
  for _ in $(seq 1 150); do
    curl -fs -o /dev/null -r 0-0 "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$3 did not become ready:" >&2; cat "$2" >&2; exit 1
}
ready "http://127.0.0.1:$PORT_SHOAL/readyz" "$work/shoal.log" "shoal"

# The media handler itself only checks the signature and the file; but the retention sweep removes the
# directories of jobs the store does not know (after an hour's grace), so serve a real, queued job's ISO.
body='{"server":{"bmc_url":"https://10.0.0.5","username":"root","password":"x"},"recipe":{"kind":"image","url":"https://images.example.org/a.raw","checksum":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}'
job=$(curl -fs -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$PORT_SHOAL/api/v1/jobs" \
      | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
[ -n "$job" ] || { echo "could not create a job" >&2; exit 1; }
mkdir -p "$data/static/isos" "$data/tasks/$job"
ln "$iso" "$data/static/isos/bench.iso"
ln "$iso" "$data/tasks/$job/task.iso"
signed=$(env -i PATH="$PATH" SHOAL_MODE=local CONTROLLER_HTTP_ADDR="127.0.0.1:$PORT_SHOAL" STORAGE_ROOT="$data" \
         "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$jar" sign-url --ttl 6h "$job" 2>"$work/sign-url.err") \
  && [ -n "$signed" ] || { echo "sign-url failed:" >&2; cat "$work/sign-url.err" >&2; exit 1; }

# --- nginx: its own config and prefix, foreground, unprivileged
ngx="$work/nginx"
mkdir -m 0755 "$ngx" "$ngx/tmp"
cat >"$ngx/nginx.conf" <<EOF
worker_processes auto;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    # keep wrk's connections open as long as Jetty does (the default closes one every 1000 requests)
    keepalive_requests 1000000;
    types { application/x-iso9660-image iso; }
    default_type application/octet-stream;
    client_body_temp_path $ngx/tmp/body;
    proxy_temp_path $ngx/tmp/proxy;
    fastcgi_temp_path $ngx/tmp/fastcgi;
    uwsgi_temp_path $ngx/tmp/uwsgi;
    scgi_temp_path $ngx/tmp/scgi;
    server {
        listen 127.0.0.1:$PORT_NGINX;
        root $work/www;
    }
}
EOF
ngx_cmd=(nginx -p "$ngx/" -c "$ngx/nginx.conf" -e "$ngx/error.log" -g 'daemon off;')
if [ "$(id -u)" -eq 0 ]; then
  chown nobody:nogroup "$ngx" "$ngx/tmp"
  ngx_cmd=(setpriv --reuid=nobody --regid=nogroup --clear-groups "${ngx_cmd[@]}")
fi
"${ngx_cmd[@]}" >"$ngx/stderr.log" 2>&1 &
pids+=($!); nginx_pid=$!
ready "http://127.0.0.1:$PORT_NGINX/bench.iso" "$ngx/stderr.log" "nginx"
nginx_pids="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"   # master and workers

names=(nginx shoal-static shoal-signed)
urls=("http://127.0.0.1:$PORT_NGINX/bench.iso" "http://127.0.0.1:$PORT_SHOAL/static/isos/bench.iso" "$signed")

# each URL answers one range with 206 and exactly the file's bytes
dd if="$iso" of="$work/expected" bs=64K skip=7 count=1 status=none
for i in 0 1 2; do
  code=$(curl -s -o "$work/got" -w '%{http_code}' -r $((7 * 65536))-$((8 * 65536 - 1)) "${urls[$i]}")
  [ "$code" = 206 ] && cmp -s "$work/expected" "$work/got" || { echo "${names[$i]}: range check failed (HTTP $code)" >&2; exit 1; }
done

# CPU time the server used per request: what the other tenants of a shared machine disturb far less than
# requests/s (they take the CPU away; they do not make a request cost more of it)
tck=$(getconf CLK_TCK)
cpu_ticks() { # PID... -> utime + stime of these processes, in clock ticks
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}
server_pids() { [ "$1" = 0 ] && echo "$nginx_pids" || echo "$shoal_pid"; }

invalid=0
load() { # INDEX DURATION -> sets RQ MB US ERRS
  local out line bad
  local before; before=$(cpu_ticks $(server_pids "$1"))
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout 10s -s "$here/range.lua" "${urls[$1]}" -- "$size" 2>&1) \
    || { echo "wrk failed against ${names[$1]}:" >&2; echo "$out" >&2; exit 1; }
  line=$(echo "$out" | grep '^RESULT ') || { echo "no RESULT from wrk:" >&2; echo "$out" >&2; exit 1; }
  US=$(awk -v t=$(($(cpu_ticks $(server_pids "$1")) - before)) -v hz="$tck" \
         -v n="$(echo "$line" | sed -n 's/.* requests=\([^ ]*\).*/\1/p')" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  RQ=$(echo "$line" | sed -n 's/.* req_s=\([^ ]*\).*/\1/p')
  MB=$(echo "$line" | sed -n 's/.* mb_s=\([^ ]*\).*/\1/p')
  bad=$(echo "$line" | sed -n 's/.* non206=\([^ ]*\).*/\1/p')
  ERRS=$(echo "$line" | sed -n 's/.* socket_errors=\([^ ]*\).*/\1/p')
  if [ "$bad" != 0 ]; then
    invalid=1
    echo "${names[$1]}: $bad answers were not 206 (first: $(echo "$line" | sed -n 's/.* first_bad=\([^ ]*\).*/\1/p')); this figure is INVALID" >&2
  fi
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# warm-up (JIT, page cache) for all three, not counted
for i in 0 1 2; do load "$i" "$WARMUP"; done
rq=(); mb=(); us=()   # rq[round*3+i]
for r in $(seq 1 "$ROUNDS"); do
  line="round $r:"
  for i in 0 1 2; do
    load "$i" "$DURATION"
    rq+=("$RQ"); mb+=("$MB"); us+=("$US")
    line+=" ${names[$i]} $RQ req/s $MB MB/s $US us CPU/req"
    [ "$ERRS" = 0 ] || line+=" ($ERRS socket errors)"
    [ "$i" = 2 ] || line+=","
  done
  echo "$line"
done

col() { # INDEX ARRAY... -> that server's figures, one a line
  local i=$1; shift; local a=("$@") k
  for ((k = i; k < ${#a[@]}; k += 3)); do echo "${a[$k]}"; done
}
echo "64 KiB Range GETs (random, 64 KiB-aligned) on a $SIZE_MIB MiB file, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS alternating rounds, $(nproc) cores"
echo "$(nginx -v 2>&1 | sed 's/^nginx version: //'), sendfile on; Shoal on $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), LOG_LEVEL=$SHOAL_LOG_LEVEL"
declare -A med cpu
for i in 0 1 2; do
  med[$i]=$(col "$i" "${rq[@]}" | median); cpu[$i]=$(col "$i" "${us[@]}" | median)
  printf '%-13s: median %s req/s, %s MB/s, %s us server CPU per request\n' "${names[$i]}" "${med[$i]}" \
    "$(col "$i" "${mb[@]}" | median)" "${cpu[$i]}"
done
for i in 1 2; do
  awk -v s="${med[$i]}" -v n="${med[0]}" -v cs="${cpu[$i]}" -v cn="${cpu[0]}" -v name="${names[$i]}" \
    'BEGIN { r = s / n; printf "ratio %s/nginx: %.3f (goal >= 1.00): %s; CPU per request %.2fx nginx%s\n", name, r,
             (r >= 1.0 ? "met" : "NOT met"), cs / cn, (r >= 1.0 && cs > cn ? " (so the rate is likely noise)" : "") }'
done
if [ "$invalid" != 0 ]; then
  echo "some answers were not 206 Partial Content: the figures above are not valid" >&2
  exit 1
fi
