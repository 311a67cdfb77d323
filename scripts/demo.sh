#!/usr/bin/env bash
# The local demo: a whole Steward installation on 127.0.0.1.
#
#   bash scripts/demo.sh up            install what is missing, build, start everything, wait until healthy
#   bash scripts/demo.sh down          stop everything and leave nothing running
#   bash scripts/demo.sh status        what runs, and the cluster as stewardctl lists it
#   bash scripts/demo.sh kill-primary  kill -9 the primary's agent and PostgreSQL, as if its host died
#   bash scripts/demo.sh restart NAME  start a member's agent again (after kill-primary)
#
# Started: etcd, a Kafka broker, two decision-service instances, and three PostgreSQL 15 members
# with their agents (group "demo"). Data, logs and configuration live in $STEWARD_DEMO_DIR
# (default /tmp/steward-demo); ports start at $STEWARD_DEMO_PORT_BASE (default 17000).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
demo="${STEWARD_DEMO_DIR:-/tmp/steward-demo}"
# class-data archives of the agents, kept across demos: written at an agent's clean stop, they make
# the next start of that member (a restart after kill-primary, the next up) about a second faster
cds="$demo.cds"
base="${STEWARD_DEMO_PORT_BASE:-17000}"
members=(pg1 pg2 pg3)

etcd_port=$((base + 379)); etcd_peer=$((base + 380))
kafka_port=$((base + 92)); kafka_controller=$((base + 93))
decider_ports=($((base + 9)) $((base + 10)))
audit_port=$((base + 90))

log() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

agent_rest() { echo $((base + 80 + $1)); }
agent_pg() { echo $((base + 432 + $1)); }

start_detached() { # name command...: runs in its own session, output to $demo/logs/name.log, pid to $demo/pids/name
  local name=$1; shift
  mkdir -p "$demo/logs" "$demo/pids"
  setsid "$@" >>"$demo/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$demo/pids/$name"
}

wait_for() { # description seconds command...
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what did not come up within ${seconds}s; see $demo/logs/"
    sleep 0.5
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# JDK 24 and later warn about protobuf's (etcd client's) use of sun.misc.Unsafe unless allowed
unsafe_flag() {
  local major
  major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  [ "${major%%.*}" -ge 24 ] 2>/dev/null && echo "--sun-misc-unsafe-memory-access=allow" || true
}

java_run() { "$JAVA_HOME/bin/java" $(unsafe_flag) "$@"; }

stewardctl() { java_run -jar "$repo/ctl/target/stewardctl.jar" -c "$demo/stewardctl.yaml" "$@"; }

dropwizard_server() { # port extra-loggers: the server and logging sections of a Dropwizard service's YAML
  cat <<EOF
server:
  type: simple
  applicationContextPath: /
  adminContextPath: /admin
  connector: {type: http, bindHost: 127.0.0.1, port: $1}
  requestLog: {appenders: []}
logging:
  level: INFO
  loggers: {org.apache.kafka: WARN, ${2}org.eclipse.jetty: WARN}
EOF
}

build() {
  bash scripts/setup-machine.sh
  . scripts/java-home.sh
  if [ ! -f node-agent/target/steward-node-agent.jar ] || [ ! -f decision-service/target/steward-decision-service.jar ] \
      || [ ! -f ctl/target/stewardctl.jar ] || [ ! -f audit-ui/target/steward-audit-ui.jar ] \
      || [ -n "$(find . -name '*.java' -newer node-agent/target/steward-node-agent.jar -print -quit)" ]; then
    log "building (the first time downloads dependencies from Maven Central)"
    mvn -B -q -DskipTests -DskipITs install
  fi
}

write_configs() {
  mkdir -p "$demo"
  cat > "$demo/kafka.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$kafka_controller
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$kafka_controller
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$demo/kafka
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  local i=0
  for port in "${decider_ports[@]}"; do
    i=$((i + 1))
    cat > "$demo/decider$i.yml" <<EOF
instance: decider$i
$(dropwizard_server "$port" "io.etcd: WARN, io.grpc: WARN, io.netty: WARN, ")
kafka: {bootstrap_servers: "127.0.0.1:$kafka_port", partitions: 3}
etcd: {hosts: ["127.0.0.1:$etcd_port"]}
EOF
  done
  cat > "$demo/audit-ui.yml" <<EOF
$(dropwizard_server "$audit_port" "")
kafka: {bootstrap_servers: "127.0.0.1:$kafka_port"}
alerting: {ui_url: "http://127.0.0.1:$audit_port"}
EOF
  i=0
  for member in "${members[@]}"; do
    i=$((i + 1))
    cat > "$demo/$member.yml" <<EOF
# Patroni's YAML, plus a kafka: section
scope: demo
name: $member
restapi:
  listen: 127.0.0.1:$(agent_rest $i)
  connect_address: 127.0.0.1:$(agent_rest $i)
etcd3:
  hosts: 127.0.0.1:$etcd_port
kafka:
  bootstrap_servers: 127.0.0.1:$kafka_port
bootstrap:
  dcs:
    ttl: 4
    maximum_lag_on_failover: 1048576
    postgresql:
      use_pg_rewind: true
  initdb:
  - encoding: UTF8
  - data-checksums
  pg_hba:
  - host replication replicator 127.0.0.1/32 scram-sha-256
  - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:$(agent_pg $i)
  connect_address: 127.0.0.1:$(agent_pg $i)
  data_dir: $demo/$member/data
  authentication:
    superuser: {username: postgres, password: demo-super}
    replication: {username: replicator, password: demo-repl}
    rewind: {username: rewinder, password: demo-rewind}
  parameters:
    shared_buffers: 32MB
EOF
  done
  cat > "$demo/stewardctl.yaml" <<EOF
decider:
- http://127.0.0.1:${decider_ports[0]}
- http://127.0.0.1:${decider_ports[1]}
scope: demo
EOF
}

up() {
  if [ -d "$demo/pids" ] && [ -n "$(ls -A "$demo/pids" 2>/dev/null)" ]; then
    die "already up (bash scripts/demo.sh down first)"
  fi
  build
  rm -rf "$demo"
  write_configs
  chmod 755 "$demo"

  log "starting etcd on 127.0.0.1:$etcd_port"
  start_detached etcd /usr/bin/etcd --name demo --data-dir "$demo/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "demo=http://127.0.0.1:$etcd_peer" --log-level warn
  wait_for etcd 30 port_open "$etcd_port"

  log "starting a Kafka broker on 127.0.0.1:$kafka_port"
  local kafka_cp
  kafka_cp="$repo/testkit/target/classes:$(cat "$repo/testkit/target/classes/io/steward/testkit/kafka/kafka-broker.classpath")"
  start_detached kafka "$JAVA_HOME/bin/java" -Xms64m -Xmx512m -XX:+UseSerialGC -Dlog4j2.level=warn \
    -cp "$kafka_cp" io.steward.testkit.kafka.KafkaBrokerMain "$demo/kafka.properties"
  wait_for "the Kafka broker" 90 grep -q STEWARD-KAFKA-READY "$demo/logs/kafka.log"

  local i=0
  for port in "${decider_ports[@]}"; do
    i=$((i + 1))
    log "starting decider$i (API on http://127.0.0.1:$port)"
    start_detached "decider$i" "$JAVA_HOME/bin/java" $(unsafe_flag) -Xmx256m -XX:+UseSerialGC \
      -jar "$repo/decision-service/target/steward-decision-service.jar" server "$demo/decider$i.yml"
  done
  for port in "${decider_ports[@]}"; do
    wait_for "the decider on $port" 90 curl -sf "http://127.0.0.1:$port/v1/decider"
  done
  log "starting the audit UI (http://127.0.0.1:$audit_port/)"
  start_detached audit-ui "$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC \
    -jar "$repo/audit-ui/target/steward-audit-ui.jar" server "$demo/audit-ui.yml"

  i=0
  for member in "${members[@]}"; do
    i=$((i + 1))
    log "starting the agent of $member (PostgreSQL on 127.0.0.1:$(agent_pg $i), REST on 127.0.0.1:$(agent_rest $i))"
    start_agent "$member"
  done

  log "waiting for one leader and two streaming replicas"
  wait_for "the cluster" 180 healthy
  echo
  stewardctl list || true
  cat <<EOF

Steward is up on 127.0.0.1 (data and logs in $demo):
  etcd            127.0.0.1:$etcd_port
  Kafka           127.0.0.1:$kafka_port
  deciders        http://127.0.0.1:${decider_ports[0]}/v1/scopes/demo   http://127.0.0.1:${decider_ports[1]}/v1/scopes/demo
  audit UI        http://127.0.0.1:$audit_port/    fleet, failover stories, replay of any instant, timeline
  members         pg1 pg2 pg3: PostgreSQL on 127.0.0.1:$(agent_pg 1)-$(agent_pg 3), Patroni REST API on 127.0.0.1:$(agent_rest 1)-$(agent_rest 3)
                  psql "host=127.0.0.1,127.0.0.1,127.0.0.1 port=$(agent_pg 1),$(agent_pg 2),$(agent_pg 3) user=postgres password=demo-super target_session_attrs=read-write"

Try:
  ctl/src/main/sh/stewardctl -c $demo/stewardctl.yaml list -W       watch the cluster (Ctrl-C to stop)
  bash scripts/demo.sh kill-primary                                 kill -9 the primary's agent and PostgreSQL
  bash scripts/demo.sh restart <member>                             bring it back: it rejoins as a replica
  ctl/src/main/sh/stewardctl -c $demo/stewardctl.yaml switchover    a planned switchover
  ctl/src/main/sh/stewardctl -c $demo/stewardctl.yaml history       leader changes, with who asked and why
  curl -s http://127.0.0.1:$(agent_rest 1)/patroni                       a member's status, as Patroni shows it
  bash scripts/demo.sh down                                         stop everything
EOF
}

start_agent() {
  mkdir -p "$cds"
  start_detached "$1" env MALLOC_ARENA_MAX=2 "$JAVA_HOME/bin/java" $(unsafe_flag) -Xms16m -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 \
    -XX:SharedArchiveFile="$cds/$1.jsa" -XX:+AutoCreateSharedArchive -Xlog:cds=error \
    -jar "$repo/node-agent/target/steward-node-agent.jar" "$demo/$1.yml"
}

healthy() {
  local view
  view=$(curl -sf "http://127.0.0.1:${decider_ports[0]}/v1/scopes/demo" || curl -sf "http://127.0.0.1:${decider_ports[1]}/v1/scopes/demo") || return 1
  [ "$(grep -o '"role":"leader"' <<<"$view" | wc -l)" -eq 1 ] || return 1
  [ "$(grep -o '"role":"replica"' <<<"$view" | wc -l)" -eq 2 ] || return 1
  [ "$(grep -o '"state":"running"' <<<"$view" | wc -l)" -eq 1 ] || return 1
  [ "$(grep -o '"state":"streaming"' <<<"$view" | wc -l)" -eq 2 ] || return 1
}

down() {
  if [ -d "$demo/pids" ]; then
    for pidfile in "$demo"/pids/*; do
      [ -e "$pidfile" ] || continue
      kill -TERM "-$(cat "$pidfile")" 2>/dev/null || kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    done
    # agents stop PostgreSQL and write their class-data archive on the way out; give them the time
    for _ in $(seq 1 30); do
      pgrep -f "steward-node-agent.jar $demo/" >/dev/null || break
      sleep 0.5
    done
  fi
  # whatever is left (PostgreSQL and its watchdogs outlive their agents on purpose)
  pkill -KILL -f "$demo/" 2>/dev/null || true
  sleep 1
  if pgrep -f "$demo/" >/dev/null; then
    die "processes of $demo are still running: $(pgrep -f "$demo/" | tr '\n' ' ')"
  fi
  rm -rf "$demo/pids"
  log "stopped; nothing of the demo runs any more (data kept in $demo)"
}

status() {
  . scripts/java-home.sh
  for pidfile in "$demo"/pids/*; do
    [ -e "$pidfile" ] || continue
    local name pid
    name=$(basename "$pidfile"); pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then echo "  $name: running (pid $pid)"; else echo "  $name: stopped"; fi
  done
  stewardctl list || true
}

kill_primary() {
  . scripts/java-home.sh
  local view leader
  view=$(curl -sf "http://127.0.0.1:${decider_ports[0]}/v1/scopes/demo" || curl -sf "http://127.0.0.1:${decider_ports[1]}/v1/scopes/demo") \
    || die "no decider answers"
  leader=$(grep -o '"name":"[^"]*","role":"leader"' <<<"$view" | cut -d'"' -f4)
  [ -n "$leader" ] || die "no leader right now"
  log "killing $leader's agent and PostgreSQL (kill -9) at $(date +%T.%3N)"
  kill -KILL "$(cat "$demo/pids/$leader")" 2>/dev/null || true
  pkill -KILL -f "$demo/$leader/" 2>/dev/null || true
  log "watch: ctl/src/main/sh/stewardctl -c $demo/stewardctl.yaml list -W   (bring it back: bash scripts/demo.sh restart $leader)"
}

restart_member() {
  . scripts/java-home.sh
  [ -f "$demo/$1.yml" ] || die "no member $1"
  start_agent "$1"
  log "started $1's agent again"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  kill-primary) kill_primary ;;
  restart) restart_member "${2:?member name}" ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
