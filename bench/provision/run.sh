#!/usr/bin/env bash
# 200 simulated servers provisioned at once: jobs completed per minute and the controller's CPU seconds per job.
# The controller and the simulator are separate processes, so the CPU figure is the controller's alone; the
# simulator's servers run the real shoal-agent (in its process) against 4 MiB disk files, writing a 1 MiB image
# served from the controller's /static/. Each BMC takes POWER_DELAY per power change, as real ones take seconds.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/packaging/dev/env.sh"
shoal_find_jdk
shoal_require_tools curl:curl python3:python3 xorriso:xorriso
SERVERS=${SERVERS:-200}; WORKERS=${WORKERS:-32}; POWER_DELAY=${POWER_DELAY:-500ms}; ROUNDS=${ROUNDS:-2}
PORT=${PORT:-18090}; TIMEOUT_S=${TIMEOUT_S:-600}

"$root/shoal-controller" --version >/dev/null   # builds the jar when needed
jar="$root/controller/target/shoal-controller.jar"
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+UseSerialGC)
work=$(mktemp -d /tmp/shoal-bench-provision.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cpu_seconds() { # PID: user+system CPU time of a process, from /proc (clock ticks)
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

round() { # N
  local n=$1 data="$work/round-$1"
  mkdir -p "$data/static/isos" "$data/static/images"
  "${java[@]}" -jar "$jar" bmc-sim --personality generic --count "$SERVERS" --power-delay "$POWER_DELAY" \
      --machine agent --work-dir "$data/servers" --disk-size 4M >"$data/sim.out" 2>"$data/sim.err" &
  local sim=$!; pids+=($sim)
  for _ in $(seq 1 300); do grep -q "generic-$SERVERS " "$data/sim.out" 2>/dev/null && break; sleep 0.2; done
  grep -q "generic-$SERVERS " "$data/sim.out" || { echo "bmc-sim did not start:" >&2; cat "$data/sim.err" >&2; exit 1; }

  python3 - "$data" <<'PY'
import hashlib, os, random, sys
data = sys.argv[1]
random.seed(11)
image = bytes(random.getrandbits(8) for _ in range(1 << 20))
open(os.path.join(data, "static/images/tiny.raw"), "wb").write(image)
open(os.path.join(data, "checksum"), "w").write("sha256:" + hashlib.sha256(image).hexdigest())
PY
  # a stand-in maintenance ISO: the simulated servers run the agent in-process when they boot it
  mkdir -p "$data/maint" && echo "bench maintenance ISO" >"$data/maint/README.txt"
  xorriso -as mkisofs -quiet -V SHOAL-MAINT -o "$data/static/isos/maintenance.iso" "$data/maint" 2>/dev/null

  env -i PATH="$PATH" SHOAL_MODE=local AUTH_MODE=none CONTROLLER_HTTP_ADDR=127.0.0.1:$PORT STORAGE_ROOT="$data" \
      WORKER_CONCURRENCY="$WORKERS" LOG_LEVEL=warn "${java[@]}" -Xmx512m -jar "$jar" >"$data/controller.log" 2>&1 &
  local ctl=$!; pids+=($ctl)
  for _ in $(seq 1 150); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "controller did not start:" >&2; cat "$data/controller.log" >&2; exit 1; }

  local cpu0 t0 t1 cpu1
  cpu0=$(cpu_seconds "$ctl")
  t0=$(date +%s.%N)
  python3 - "$data" "$PORT" "$TIMEOUT_S" <<'PY' >"$data/result"
import json, re, sys, time, urllib.request
data, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
base = f"http://127.0.0.1:{port}"
checksum = open(f"{data}/checksum").read()
bmcs = [l.split() for l in open(f"{data}/sim.out") if re.match(r"generic-\d+ ", l)]
for name, _, url, _, user, _, password in bmcs:
    body = {"server": {"bmc_url": url, "username": user, "password": password},
            "recipe": {"kind": "image", "url": f"{base}/static/images/tiny.raw", "checksum": checksum, "format": "raw"}}
    req = urllib.request.Request(f"{base}/api/v1/jobs", json.dumps(body).encode(), {"Content-Type": "application/json"})
    assert urllib.request.urlopen(req).status == 201
deadline = time.time() + timeout
while time.time() < deadline:
    jobs = json.load(urllib.request.urlopen(f"{base}/api/v1/engine"))["jobs"]
    if jobs["complete"] + jobs["failed"] + jobs["cancelled"] >= len(bmcs):
        break
    time.sleep(0.25)
print(jobs["complete"], jobs["failed"] + jobs["cancelled"])
PY
  t1=$(date +%s.%N)
  cpu1=$(cpu_seconds "$ctl")
  read -r complete failed <"$data/result"
  kill "$ctl" "$sim" 2>/dev/null || true; wait "$ctl" "$sim" 2>/dev/null || true
  awk -v n="$n" -v c="$complete" -v f="$failed" -v t0="$t0" -v t1="$t1" -v c0="$cpu0" -v c1="$cpu1" 'BEGIN {
    wall = t1 - t0; printf "round %d: %d complete, %d failed in %.1f s: %.0f jobs/min, controller CPU %.1f s = %.3f s/job\n",
      n, c, f, wall, c * 60 / wall, c1 - c0, (c > 0 ? (c1 - c0) / c : 0) }' | tee -a "$work/rounds"
  [ "$failed" = 0 ] || { echo "jobs failed; the figure is invalid. Controller log tail:" >&2; tail -20 "$data/controller.log" >&2; exit 1; }
}

for r in $(seq 1 "$ROUNDS"); do round "$r"; done
echo "$SERVERS simulated servers at once (bmc-sim --machine agent, power changes $POWER_DELAY), WORKER_CONCURRENCY=$WORKERS, 1 MiB raw image, $(nproc) cores"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "median jobs/min: $(sed -n 's/.*: \([0-9]*\) jobs\/min.*/\1/p' "$work/rounds" | median)"
echo "median controller CPU s/job: $(sed -n 's/.* = \([0-9.]*\) s\/job/\1/p' "$work/rounds" | median)"
