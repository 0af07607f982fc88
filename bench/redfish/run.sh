#!/usr/bin/env bash
# Shoal's Redfish client through the full boot sequence against the BMC simulator, at 0 and 50 ms
# BMC latency, next to python3-sushy doing the same; then 200 simulated systems at once.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$root/packaging/dev/env.sh"
shoal_find_jdk
shoal_require_tools redfishtool:redfishtool
[ -f /usr/lib/python3/dist-packages/sushy/__init__.py ] || shoal_apt_install python3-sushy
"$root/shoal-controller" --version >/dev/null   # builds the jar when needed
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -Drounds="${ROUNDS:-5}" -Dsystems="${SYSTEMS:-200}" \
  -cp "$root/controller/target/shoal-controller.jar" "$root/bench/redfish/BootSequenceBench.java" \
  "$root/bench/redfish/sushy_sequence.py"
