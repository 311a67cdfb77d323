# Sourced by the other scripts: exports JAVA_HOME for the JDK the build uses.
# Prefers Temurin 25 under /usr/lib/jvm, else the newest JDK of version 21 or later there;
# an already exported JAVA_HOME of version 21 or later wins.
java_major() { "$1/bin/java" -version 2>&1 | head -1 | sed -E 's/.*version "([0-9]+).*/\1/'; }

pick_java_home() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ]; then
    echo "$JAVA_HOME"; return
  fi
  if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/javac ]; then
    echo /usr/lib/jvm/temurin-25-jdk-amd64; return
  fi
  local best="" best_major=0 dir major
  for dir in /usr/lib/jvm/*; do
    [ -x "$dir/bin/javac" ] || continue
    major=$(java_major "$dir")
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$dir"; best_major=$major; fi
  done
  echo "$best"
}

JAVA_HOME="$(pick_java_home)"
if [ -z "$JAVA_HOME" ]; then
  echo "No JDK 21 or later under /usr/lib/jvm; Steward builds with Java 21 language level (Temurin 25 recommended)." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries touch sun.misc.Unsafe; JDK 24+ warns about it on every run.
if [ "$(java_major "$JAVA_HOME")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
