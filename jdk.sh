# Sourced by stack.sh and .ci/run: points JAVA_HOME at a JDK 25 or newer, or stops with a clear message.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'
}

stillpoint_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
                   /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ]; then
      local major
      major="$(java_major "$candidate/bin/java")"
      if [ -n "$major" ] && [ "${major%%.*}" -ge 25 ] 2>/dev/null; then
        echo "$candidate"
        return 0
      fi
    fi
  done
  return 1
}

if ! JAVA_HOME="$(stillpoint_jdk)"; then
  echo "Stillpoint needs a JDK 25 or newer: set JAVA_HOME to one (found none in JAVA_HOME, on PATH or in /usr/lib/jvm)." >&2
  exit 1
fi
export JAVA_HOME
