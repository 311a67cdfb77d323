# Sourced by the bench-*.sh scripts: installs what is missing, builds the bench module, and runs
# one of its programs on Temurin 25.
#
#   bench_run <main class> <max heap> <work directory, or "" for none> [program arguments...]
#
# The work directory holds the test kit's components (data directories, logs); it is made anew
# and readable by the postgres user, which runs PostgreSQL when the bench runs as root.
bench_run() {
  local main=$1 heap=$2 work=$3
  shift 3
  bash scripts/setup-machine.sh
  . scripts/java-home.sh
  mvn -B -q -pl bench -am install -DskipTests -DskipITs
  mvn -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
  local options=(-Xmx"$heap")
  if [ -n "$work" ]; then
    rm -rf "$work" && mkdir -p "$work" && chmod 755 "$work"
    options+=(-Dsteward.testkit.dir="$work")
  fi
  exec "$JAVA_HOME/bin/java" "${options[@]}" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "$main" "$@"
}
