#!/usr/bin/env bash
# Shoal's OCI registry (/v2/ on the controller, REGISTRY_AUTH_MODE=basic) next to Debian's docker-registry (CNCF
# distribution 2.8), both with the same htpasswd file (one bcrypt cost-10 user), in one run, alternating:
#   (a) a 1 GiB blob pushed monolithically (POST, then PUT ?digest= with the whole body), in 64 MiB chunks (PATCH
#       with Content-Range, then PUT ?digest=; MB/s from the time spent in requests, the goal's figure, and from the
#       wall time, which adds the shell starting a curl per chunk), and pulled twice (GET): MB/s. The first pull
#       follows the push at once: distribution serves it from the page cache its push filled, Shoal from the disk
#       (it writes uploads with direct I/O); the second is from the page cache for both;
#   (b) skopeo copy of an image with a 1 GiB layer from an oci: layout into each registry and back out: seconds;
#   (c) 200 x 64 KiB blobs pushed and pulled by a small client (4 keep-alive connections): seconds;
#   (d) GET /v2/ and a blob HEAD under basic auth with wrk at 50 connections: req/s.
# Also the JDK's SHA-256 rate on this machine (the ceiling of an upload, which is hashed as it arrives), the disk's
# rate for direct writes (the other ceiling: a blob is on disk before its PUT is answered), and curl's own CPU per
# monolithic push (the client shares this machine's cores with the registry it pushes to).
# Goals: uploads >= 80 % of that rate and >= 2x distribution; authenticated small requests >= 100x distribution.
# MB = 10^6 bytes. Every push writes a new blob: the stored copy from the push before is removed first (both
# registries skip the final fsync and rename when the blob already exists). Every timed push starts after a sync, so
# that neither registry pays for the disk writing back what the step before it left in the page cache (Linux writes
# dirty pages back only 30 s after they were written, which here lands in the middle of the other registry's push).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$root/bench/registry"
. "$root/packaging/dev/env.sh"
shoal_find_jdk
shoal_require_tools wrk:wrk curl:curl htpasswd:apache2-utils docker-registry:docker-registry skopeo:skopeo python3:python3
ROUNDS=${ROUNDS:-1}; DURATION=${DURATION:-10s}; CONNECTIONS=${CONNECTIONS:-50}; THREADS=${THREADS:-2}
SIZE_MIB=${SIZE_MIB:-1024}; CHUNK_MIB=${CHUNK_MIB:-64}; SMALL_COUNT=${SMALL_COUNT:-200}; SMALL_KIB=${SMALL_KIB:-64}
SHOAL_LOG_LEVEL=${SHOAL_LOG_LEVEL:-warn}
SHOAL_JAVA_OPTS=${SHOAL_JAVA_OPTS:-}
size=$((SIZE_MIB * 1024 * 1024))

PORT_SHOAL=${PORT_SHOAL:-$(free_port)}; PORT_DIST=${PORT_DIST:-$(free_port "$PORT_SHOAL")}

"$root/shoal-controller" --version >/dev/null   # builds the jar when needed
jar="$root/controller/target/shoal-controller.jar"
work=$(mktemp -d /tmp/shoal-bench-registry.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

avail=$(df -Pk "$work" | awk 'NR == 2 {print $4}')
need=$((size / 1024 * 8 + 1048576))   # the file, its chunks, the oci layout (a link), two registries, two pulls
[ "$avail" -gt "$need" ] || { echo "not enough space in $work: need $((need / 1024)) MiB" >&2; exit 1; }

# --- the data: one random file (nothing compressible, no holes), its chunks, an oci: layout with it as a layer
# It starts with gzip's magic bytes and is declared a gzip layer: skopeo then copies it as it is, where it would
# otherwise gzip an uncompressed layer on the way (a compressor benchmark, not a registry one). Nobody unpacks it.
big="$work/blob.bin"
{ printf '\x1f\x8b\x08'; head -c $((size - 3)) /dev/urandom; } >"$big"
hex=$(sha256sum "$big" | cut -d' ' -f1); digest="sha256:$hex"
mkdir "$work/chunks"
split -b "${CHUNK_MIB}M" -d -a 4 "$big" "$work/chunks/c"
oci="$work/oci"
mkdir -p "$oci/blobs/sha256"
ln "$big" "$oci/blobs/sha256/$hex"
printf '{"imageLayoutVersion":"1.0.0"}' >"$oci/oci-layout"
put_json() { # CONTENT -> its digest hex; stored as a blob of the layout
  local h; h=$(printf '%s' "$1" | sha256sum | cut -d' ' -f1); printf '%s' "$1" >"$oci/blobs/sha256/$h"; echo "$h"
}
config=$(printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]},"config":{}}' "$digest")
config_hex=$(put_json "$config")
manifest=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%d},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%d}]}' \
  "$config_hex" "${#config}" "$digest" "$size")
manifest_hex=$(put_json "$manifest")
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%d,"annotations":{"org.opencontainers.image.ref.name":"bench"}}]}' \
  "$manifest_hex" "${#manifest}" >"$oci/index.json"

# --- one user, bcrypt cost 10, in one htpasswd file both registries read
user=bench
password="bench-$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
htpasswd -nbB -C 10 "$user" "$password" | grep . >"$work/htpasswd"
auth="Authorization: Basic $(printf '%s:%s' "$user" "$password" | base64 -w0)"

# --- Shoal: the controller in local mode with its registry
shoal_data="$work/shoal"
# shellcheck disable=SC2086 # SHOAL_JAVA_OPTS is a list of JVM options
env -i PATH="$PATH" SHOAL_MODE=local CONTROLLER_HTTP_ADDR="127.0.0.1:$PORT_SHOAL" STORAGE_ROOT="$shoal_data" \
    AUTH_MODE=none ENABLE_REGISTRY=true REGISTRY_AUTH_MODE=basic REGISTRY_USERS_FILE="$work/htpasswd" \
    LOG_LEVEL="$SHOAL_LOG_LEVEL" \
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m $SHOAL_JAVA_OPTS -jar "$jar" >"$work/shoal.log" 2>&1 &
pids+=($!); shoal_pid=$!

# --- distribution: Debian's default configuration without its in-memory blob descriptor cache (the benchmark
# removes stored blobs between pushes, which that cache would not notice), logging errors only
dist_data="$work/dist"
cat >"$work/dist.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $dist_data}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$PORT_DIST
auth:
  htpasswd: {realm: bench, path: $work/htpasswd}
EOF
docker-registry serve "$work/dist.yml" >"$work/dist.log" 2>&1 &
pids+=($!); dist_pid=$!

ready() { # URL LOG NAME
  for _ in $(seq 1 150); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" "$1" 2>/dev/null)" = 200 ] && return 0
    sleep 0.2
  done
  echo "$3 did not become ready:" >&2; cat "$2" >&2; exit 1
}
ready "http://127.0.0.1:$PORT_SHOAL/v2/" "$work/shoal.log" shoal
ready "http://127.0.0.1:$PORT_DIST/v2/" "$work/dist.log" distribution

names=(distribution shoal)
bases=("http://127.0.0.1:$PORT_DIST" "http://127.0.0.1:$PORT_SHOAL")
now() { date +%s.%N; }
mbps() { awk -v b="$size" -v s="$1" 'BEGIN { printf "%.0f", b / 1e6 / s }'; }
# the stored copy of the big blob, so the next push writes it anew
forget_blob() { # INDEX
  if [ "$1" = 0 ]; then rm -rf "$dist_data/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex"
  else rm -f "$shoal_data/oci/blobs/sha256/$hex"; fi
}
absolute() { # INDEX LOCATION -> absolute URL
  case "$2" in http*) echo "$2" ;; *) echo "${bases[$1]}$2" ;; esac
}
with_digest() { # URL [DIGEST]
  case "$1" in *\?*) echo "$1&digest=${2:-$digest}" ;; *) echo "$1?digest=${2:-$digest}" ;; esac
}
start_upload() { # INDEX REPO -> upload URL
  local out
  out=$(curl -s -o /dev/null -w '%{http_code} %header{location}' -X POST -H "$auth" -H 'Content-Length: 0' \
        "${bases[$1]}/v2/$2/blobs/uploads/")
  [ "${out%% *}" = 202 ] || { echo "${names[$1]}: POST upload answered ${out%% *}" >&2; exit 1; }
  absolute "$1" "${out#* }"
}
finish() { # INDEX URL DIGEST [curl args] : PUT ?digest=, expects 201
  local i=$1 url=$2 d=$3 code; shift 3
  code=$(curl -s -o "$work/put.out" -w '%{http_code}' -X PUT -H "$auth" -H 'Content-Type: application/octet-stream' \
         "$@" "$(with_digest "$url" "$d")")
  [ "$code" = 201 ] || { echo "${names[$i]}: PUT ?digest answered $code: $(head -c 300 "$work/put.out")" >&2; exit 1; }
}
# CPU seconds (user + system) of the processes this shell waited for, their children included, between two `times`
# outputs (`times` runs in this shell only when redirected to a file: in a pipe or $(...) it would count a subshell's)
children_cpu() { # TIMES_BEFORE TIMES_AFTER -> seconds
  awk 'FNR == 2 { for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); n[FILENAME] += p[1] * 60 + p[2] } }
       END { printf "%.2f", n[ARGV[2]] - n[ARGV[1]] }' "$1" "$2"
}
push_mono() { # INDEX REPO -> MB/s client_cpu_seconds
  local t0 t1 url; forget_blob "$1"; sync; times >"$work/times.0"; t0=$(now)
  url=$(start_upload "$1" "$2")
  finish "$1" "$url" "$digest" -T "$big"
  t1=$(now); times >"$work/times.1"
  echo "$(mbps "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')") $(children_cpu "$work/times.0" "$work/times.1")"
}
push_chunked() { # INDEX REPO -> wall_MB/s in_requests_MB/s
  # wall: from the POST to the PUT's answer, including the shell starting a curl per chunk between requests (about
  # 10 ms each here, the same for both registries); in requests: the sum of curl's own time for each request
  local t0 url out c start=0 len code loc secs busy=0; forget_blob "$1"; sync; t0=$(now)
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total} %header{location}' -X POST -H "$auth" -H 'Content-Length: 0' \
        "${bases[$1]}/v2/$2/blobs/uploads/")
  read -r code secs loc <<<"$out"
  [ "$code" = 202 ] || { echo "${names[$1]}: POST upload answered $code" >&2; exit 1; }
  url=$(absolute "$1" "$loc"); busy=$secs
  for c in "$work"/chunks/c*; do
    len=$(stat -c %s "$c")
    out=$(curl -s -o /dev/null -w '%{http_code} %{time_total} %header{location}' -X PATCH -H "$auth" \
          -H 'Content-Type: application/octet-stream' -H "Content-Range: $start-$((start + len - 1))" -T "$c" "$url")
    read -r code secs loc <<<"$out"
    [ "$code" = 202 ] || { echo "${names[$1]}: PATCH answered $code" >&2; exit 1; }
    url=$(absolute "$1" "$loc"); start=$((start + len)); busy=$(awk -v a="$busy" -v b="$secs" 'BEGIN { print a + b }')
  done
  out=$(curl -s -o "$work/put.out" -w '%{http_code} %{time_total}' -X PUT -H "$auth" -H 'Content-Length: 0' \
        "$(with_digest "$url" "$digest")")
  read -r code secs <<<"$out"
  [ "$code" = 201 ] || { echo "${names[$1]}: PUT ?digest answered $code: $(head -c 300 "$work/put.out")" >&2; exit 1; }
  busy=$(awk -v a="$busy" -v b="$secs" 'BEGIN { print a + b }')
  echo "$(mbps "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')") $(mbps "$busy")"
}
pull() { # INDEX REPO -> MB/s
  local out
  out=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}' -H "$auth" "${bases[$1]}/v2/$2/blobs/$digest")
  read -r code got secs <<<"$out"
  [ "$code" = 200 ] && [ "$got" = "$size" ] || { echo "${names[$1]}: GET blob answered $code with $got bytes" >&2; exit 1; }
  mbps "$secs"
}
skopeo_round() { # INDEX REPO -> push_seconds pull_seconds
  local t0 t1 t2 host=${bases[$1]#http://}
  forget_blob "$1"; rm -rf "$work/out"; sync; t0=$(now)
  skopeo copy -q --dest-tls-verify=false --dest-creds "$user:$password" "oci:$oci:bench" "docker://$host/$2:bench" \
    >"$work/skopeo.log" 2>&1 || { echo "${names[$1]}: skopeo push failed:" >&2; cat "$work/skopeo.log" >&2; exit 1; }
  t1=$(now)
  skopeo copy -q --src-tls-verify=false --src-creds "$user:$password" "docker://$host/$2:bench" "oci:$work/out:bench" \
    >"$work/skopeo.log" 2>&1 || { echo "${names[$1]}: skopeo pull failed:" >&2; cat "$work/skopeo.log" >&2; exit 1; }
  t2=$(now)
  [ "$(stat -c %s "$work/out/blobs/sha256/$hex")" = "$size" ] || { echo "${names[$1]}: skopeo pulled a short layer" >&2; exit 1; }
  rm -rf "$work/out"
  awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.1f %.1f", b - a, c - b }'
}
small() { # INDEX REPO -> push_seconds pull_seconds
  timeout 600 python3 "$here/small_layers.py" "${bases[$1]}" "$2" "$user" "$password" "$SMALL_COUNT" \
    $((SMALL_KIB * 1024)) 4
}
rate() { # URL [wrk args] -> req/s; any answer but 2xx invalidates it
  local url=$1 out; shift
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -H "$auth" "$@" "$url" 2>&1) \
    || { echo "wrk failed against $url:" >&2; echo "$out" >&2; exit 1; }
  if echo "$out" | grep -q 'Non-2xx'; then echo "wrk saw non-2xx answers from $url:" >&2; echo "$out" >&2; exit 1; fi
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
# HEAD with ab: wrk waits for the body a HEAD answer's Content-Length announces, and stalls. ab is one thread,
# so it may cap Shoal's figure; it cannot flatter it.
head_rate() { # URL -> req/s; any answer but 2xx invalidates it
  local out secs=${DURATION%s}
  out=$(ab -q -i -k -c "$CONNECTIONS" -t "$secs" -n 10000000 -s 30 -H "$auth" "$1" 2>&1) \
    || { echo "ab failed against $1:" >&2; echo "$out" >&2; exit 1; }
  if echo "$out" | grep -Eq '^(Non-2xx responses|Failed requests: +[1-9])'; then
    echo "ab saw failed or non-2xx answers from $1:" >&2; echo "$out" >&2; exit 1
  fi
  echo "$out" | awk '/^Requests per second/ {print $4}'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "hashing: JDK SHA-256, 1 GiB in 1 MiB updates, median of 3..." >&2
sha=$("$JAVA_HOME/bin/java" "$here/Sha256Rate.java")
# The other ceiling of an upload: the blob is durable before its PUT is answered, so no push can beat the disk.
echo "disk: $SIZE_MIB MiB in 2 MiB O_DIRECT writes, then fsync (dd), median of 3..." >&2
disk_rate() { # -> MB/s, or n/a where the filesystem takes no direct I/O (tmpfs)
  local r out rates=()
  for r in 1 2 3; do
    sync
    out=$(LC_ALL=C dd if=/dev/zero of="$work/dd.bin" bs=2M count=$((SIZE_MIB / 2)) oflag=direct conv=fsync 2>&1) \
      || { rm -f "$work/dd.bin"; echo n/a; return; }
    rm -f "$work/dd.bin"
    rates+=("$(echo "$out" | awk '/copied/ { printf "%.0f", $1 / 1e6 / $(NF - 3) }')")
  done
  printf '%s\n' "${rates[@]}" | median
}
disk=$(disk_rate)

# warm-up (JIT, page cache), not counted: a chunked push and a pull, small layers, a short wrk of each
for i in 0 1; do
  v=$(push_chunked "$i" warm/big); v=$(pull "$i" warm/big); v=$(pull "$i" warm/big); v=$(small "$i" warm/small)
done
declare -A fig   # fig[name,test] = space-separated figures, one per round
add() { fig[$1,$2]="${fig[$1,$2]:-} $3"; }
for r in $(seq 1 "$ROUNDS"); do
  for i in 0 1; do
    n=${names[$i]}
    # assigned first: a step that fails stops the run (set -e), where a failing $(...) inside arguments would not
    v=$(push_mono "$i" "r$r/mono"); read -r mono cpu <<<"$v"; add "$n" mono "$mono"; add "$n" client_cpu "$cpu"
    v=$(push_chunked "$i" "r$r/chunked"); read -r cw cr <<<"$v"; add "$n" chunked_wall "$cw"; add "$n" chunked "$cr"
    v=$(pull "$i" "r$r/chunked"); add "$n" pull "$v"
    v=$(pull "$i" "r$r/chunked"); add "$n" pull_again "$v"
    v=$(skopeo_round "$i" "r$r/skopeo"); read -r sp sl <<<"$v"; add "$n" skopeo_push "$sp"; add "$n" skopeo_pull "$sl"
    v=$(small "$i" "r$r/small"); read -r mp ml <<<"$v"; add "$n" small_push "$mp"; add "$n" small_pull "$ml"
    echo "round $r $n: mono ${fig[$n,mono]##* } MB/s, chunked ${fig[$n,chunked]##* } MB/s in requests" \
         "(${fig[$n,chunked_wall]##* } wall), pull ${fig[$n,pull]##* } then ${fig[$n,pull_again]##* } MB/s," \
         "skopeo push $sp s pull $sl s, small push $mp s pull $ml s" >&2
  done
done
# a small blob every repository has, for HEAD
head -c 4096 /dev/urandom >"$work/head.bin"
small_blob=$(sha256sum "$work/head.bin" | cut -d' ' -f1)
for i in 0 1; do
  url=$(start_upload "$i" head/blob)
  finish "$i" "$url" "sha256:$small_blob" -T "$work/head.bin"
done
for i in 0 1; do   # warm-up
  v=$(rate "${bases[$i]}/v2/" -d2s)
done
for r in $(seq 1 "$ROUNDS"); do
  for i in 0 1; do
    n=${names[$i]}
    v=$(rate "${bases[$i]}/v2/"); add "$n" v2 "$v"
    v=$(head_rate "${bases[$i]}/v2/head/blob/blobs/sha256:$small_blob"); add "$n" head "$v"
    echo "round $r $n: GET /v2/ ${fig[$n,v2]##* } req/s, HEAD blob ${fig[$n,head]##* } req/s" >&2
  done
done

med() { printf '%s\n' ${fig[$1,$2]} | median; }
echo
echo "OCI registry, Shoal vs $(docker-registry --version | awk '{print $2, $3}'), $ROUNDS round(s), medians, $(nproc) cores"
echo "JDK SHA-256 ($("$JAVA_HOME/bin/java" -version 2>&1 | head -1)): $sha MB/s (1 GiB in 1 MiB updates, median of 3)"
echo "disk under $work: $disk MB/s ($SIZE_MIB MiB in 2 MiB O_DIRECT writes, then fsync; dd, median of 3)"
echo "curl's own CPU per monolithic push, on the same $(nproc) cores: $(med shoal client_cpu) s to Shoal," \
     "$(med distribution client_cpu) s to distribution (user + system)"
printf '%-34s %14s %14s %8s\n' "" distribution shoal "ratio"
row() { # LABEL TEST UNIT HIGHER_IS_BETTER
  local d s; d=$(med distribution "$2"); s=$(med shoal "$2")
  awk -v l="$1" -v d="$d" -v s="$s" -v u="$3" -v hb="$4" \
    'BEGIN { printf "%-34s %10s %-3s %10s %-3s %7.2fx\n", l, d, u, s, u, (hb ? s / d : d / s) }'
}
row "(a) $SIZE_MIB MiB push, monolithic" mono MB/s 1
row "(a) $SIZE_MIB MiB push, ${CHUNK_MIB} MiB chunks" chunked MB/s 1
row "    the same, wall time" chunked_wall MB/s 1
row "(a) $SIZE_MIB MiB pull, just pushed" pull MB/s 1
row "(a) $SIZE_MIB MiB pull, again" pull_again MB/s 1
row "(b) skopeo copy $SIZE_MIB MiB layer, push" skopeo_push s 0
row "(b) skopeo copy $SIZE_MIB MiB layer, pull" skopeo_pull s 0
row "(c) $SMALL_COUNT x $SMALL_KIB KiB blobs, push" small_push s 0
row "(c) $SMALL_COUNT x $SMALL_KIB KiB blobs, pull" small_pull s 0
row "(d) GET /v2/, basic auth, wrk -c$CONNECTIONS" v2 req/s 1
row "(d) HEAD blob, basic auth, ab -c$CONNECTIONS" head req/s 1
echo "(ratio: how many times better Shoal is; for seconds, distribution's time / Shoal's)"
goal() { # TEXT OK
  printf '%-72s %s\n' "$1" "$([ "$2" = 1 ] && echo met || echo 'NOT met')"
}
for t in mono chunked; do
  s=$(med shoal "$t"); d=$(med distribution "$t")
  goal "goal: $t upload >= 80 % of SHA-256 ($s / $sha = $(awk -v s="$s" -v h="$sha" 'BEGIN { printf "%.0f %%", 100 * s / h }'); $(awk -v s="$s" -v d="$disk" 'BEGIN { if (d + 0 > 0) printf "%.0f %% of the disk", 100 * s / d; else printf "disk n/a" }'))" \
       "$(awk -v s="$s" -v h="$sha" 'BEGIN { print (s >= 0.8 * h) ? 1 : 0 }')"
  goal "goal: $t upload >= 2x distribution ($(awk -v s="$s" -v d="$d" 'BEGIN { printf "%.2fx", s / d }'))" \
       "$(awk -v s="$s" -v d="$d" 'BEGIN { print (s >= 2 * d) ? 1 : 0 }')"
done
for t in v2 head; do
  s=$(med shoal "$t"); d=$(med distribution "$t")
  goal "goal: authenticated $( [ $t = v2 ] && echo 'GET /v2/' || echo 'blob HEAD') >= 100x distribution ($(awk -v s="$s" -v d="$d" 'BEGIN { printf "%.0fx", s / d }'))" \
       "$(awk -v s="$s" -v d="$d" 'BEGIN { print (s >= 100 * d) ? 1 : 0 }')"
done
