#!/usr/bin/env bash
# Smoke test of the shipped artifact: the shaded jar runs the demo, and the command the demo prints provisions a
# simulated server to complete. Unit and end-to-end tests run on Maven's class path; this catches what only the
# jar can get wrong (a dependency left out by the shade plugin, a missing resource).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/packaging/dev/env.sh"
shoal_find_jdk
jar="$root/controller/target/shoal-controller.jar"
[ -f "$jar" ] || { echo "smoke: $jar is missing; run mvn package first" >&2; exit 1; }
work=$(mktemp -d /tmp/shoal-smoke.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)

(cd "$work" && env -i PATH="$PATH" CONTROLLER_HTTP_ADDR=127.0.0.1:0 STORAGE_ROOT="$work/data" \
    "${java[@]}" -jar "$jar" demo --personality dell,hpe --power-delay 200ms >"$work/demo.out" 2>&1) &
pid=$!
for _ in $(seq 1 300); do grep -q "submit --follow" "$work/demo.out" 2>/dev/null && break; sleep 0.2; done
job=$(sed -n 's/.*submit --follow \([^ ]*\).*/\1/p' "$work/demo.out" | head -1)
url=$(sed -n 's/.*"url":"\(http:[^"]*\)".*/\1/p' "$work/demo.out" | head -1)
[ -n "$job" ] && [ -n "$url" ] || { echo "smoke: the demo did not start:" >&2; cat "$work/demo.out" >&2; exit 1; }
case "$job" in /*) ;; *) job="$work/$job" ;; esac
if ! "${java[@]}" -jar "$jar" submit --follow --timeout 2m --url "$url" --storage-root "$work/data" "$job" >"$work/submit.out" 2>&1; then
  echo "smoke: the demo job did not complete:" >&2; cat "$work/submit.out" >&2; exit 1
fi
grep -q " complete" "$work/submit.out" || { echo "smoke: no 'complete' in:" >&2; cat "$work/submit.out" >&2; exit 1; }
echo "smoke: the shaded jar's demo provisioned $(basename "$job" .json) to complete"
