# Sourced by ./shoal-controller, ./run-tests and bench/ scripts: finds a JDK 25+ and Maven, and says
# plainly what to install when one is missing. The machine's default java (17) is too old for Shoal.

shoal_java_version() { # JAVA_BIN -> major version, or empty
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

shoal_find_jdk() {
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for c in /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/java-2[5-9]* /usr/lib/jvm/jdk-2[5-9]* /usr/lib/jvm/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(shoal_java_version "$c/bin/java")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "shoal: no JDK 25 or newer found (looked at JAVA_HOME and /usr/lib/jvm/*)." >&2
  echo "shoal: install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium repository) or 'openjdk-25-jdk'," >&2
  echo "shoal: or point JAVA_HOME at it." >&2
  return 1
}

shoal_find_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "shoal: Maven is missing; installing it with apt-get (Debian package 'maven')" >&2
    shoal_apt_install maven || return 1
  fi
  # Maven 3.8's bundled Guice touches sun.misc.Unsafe; JDK 25 warns on every run unless allowed.
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}

shoal_apt_install() { # PACKAGE... : installs Debian packages when we can (root), else says what to run
  if [ "$(id -u)" -ne 0 ]; then
    echo "shoal: please install these Debian packages first: $*" >&2
    return 1
  fi
  if [ -z "${SHOAL_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    export SHOAL_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || {
    echo "shoal: apt-get install $* failed" >&2
    return 1
  }
}

shoal_require_tools() { # "command:package" ... : installs the packages of missing commands
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "shoal: installing test peers: ${missing[*]}" >&2
  shoal_apt_install "${missing[@]}"
}

# For benchmarks that start servers side by side.
free_port() { # [PORT_TO_AVOID] -> a port on 127.0.0.1 nobody listens on
  local p
  for _ in $(seq 1 100); do
    p=$(shuf -i 20000-60999 -n 1)
    [ "$p" != "${1:-}" ] || continue
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
  done
  echo "no free port found" >&2; return 1
}
