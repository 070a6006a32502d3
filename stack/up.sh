#!/usr/bin/env bash
# Native stack: PostgreSQL (Debian's), Kafka in KRaft mode, Kafka Connect with the Debezium Postgres
# connector (jars from Maven Central at the versions in ../.env), and the orders connector registered.
# Idempotent: components already running are left alone, missing ones are started (npm start relies
# on that to bring back one that died). Logs go to $STACK_LOG_DIR; a restarted component's previous
# log is kept as NAME.log.1 (rotate_log in lib.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_prerequisites() {
  local missing=()
  command -v java >/dev/null || missing+=("java (Java 17+: apt-get install openjdk-17-jre-headless)")
  command -v mvn >/dev/null || missing+=("mvn (Maven: apt-get install maven)")
  command -v curl >/dev/null || missing+=("curl (apt-get install curl)")
  [ -x "$PG_BIN/postgres" ] || missing+=("PostgreSQL $POSTGRES_MAJOR server at $PG_BIN (apt-get install postgresql-$POSTGRES_MAJOR, or set PG_BIN)")
  command -v psql >/dev/null || missing+=("psql (apt-get install postgresql-client-$POSTGRES_MAJOR)")
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    missing+=("a 'postgres' OS user to run PostgreSQL as (Debian's postgresql package creates it)")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    log "missing prerequisites:"
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
  fi
  local java_major
  java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
  [ "${java_major%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is needed (found ${java_major:-unknown})"
}

fetch_jars() {
  if [ -f "$JAVA_LIB/.complete" ]; then return 0; fi
  log "fetching Kafka $KAFKA_VERSION, Connect and Debezium $DEBEZIUM_VERSION from Maven Central (once)"
  mkdir -p "$STACK_LOG_DIR"
  rm -rf "$JAVA_LIB"
  if ! mvn -B -q -f "$STACK_ROOT/stack/pom.xml" \
      -Dkafka.version="$KAFKA_VERSION" -Ddebezium.version="$DEBEZIUM_VERSION" \
      -Dstack.dir="$JAVA_LIB" package >"$STACK_LOG_DIR/maven.log" 2>&1; then
    tail -n 30 "$STACK_LOG_DIR/maven.log" >&2
    die "Maven could not fetch the stack's jars (full log: $STACK_LOG_DIR/maven.log)"
  fi
  [ -f "$JAVA_LIB/plugins/debezium-connector-postgres/debezium-connector-postgres-$DEBEZIUM_VERSION.jar" ] \
    || die "the Debezium plugin archive did not unpack where expected under $JAVA_LIB/plugins"
  touch "$JAVA_LIB/.complete"
}

# The postgres OS user must reach the data directory; a clone under a private (0700) folder, such as
# one made by mktemp -d, is not reachable, so the data then lives under /var/tmp instead.
pg_data_dir() {
  if [ -n "${STACK_PG_DATA:-}" ]; then echo "$STACK_PG_DATA"; return; fi
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$STACK_DIR"; then
    echo "/var/tmp/orders-live-pg-$(printf '%s' "$STACK_DIR" | md5sum | cut -c1-12)"
  else
    echo "$STACK_DIR/pgdata"
  fi
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$STACK_PG_PORT" -d postgres; }

# After a crash (kill -9 of the postmaster) its backends take a moment to notice and exit; until
# they have, a new postmaster refuses to start. Every Postgres process runs in the data directory.
pg_processes_gone() {
  local dir=$1 proc
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/cwd" 2>/dev/null)" = "$dir" ] && return 1
  done
  return 0
}

start_postgres() {
  local data sock
  data=$(pg_data_dir)
  sock="$data/socket"
  if pg_ready; then
    is_running postgres || die "port $STACK_PG_PORT is taken by a PostgreSQL this stack did not start (set STACK_PG_PORT)"
    log "postgres already running on 127.0.0.1:$STACK_PG_PORT"
    return 0
  fi
  if [ ! -f "$data/db/PG_VERSION" ]; then
    log "initialising PostgreSQL $POSTGRES_MAJOR in $data"
    rm -rf "$data"
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres: "$data"
    local pwfile="$data.pw"
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    [ "$(id -u)" = 0 ] && chown postgres: "$pwfile"
    # Local socket: trust (only the stack's own socket dir, mode 0700). TCP: passwords, scram.
    as_pg_user "$PG_BIN/initdb" -D "$data/db" -U postgres --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$STACK_LOG_DIR/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; tail -n 20 "$STACK_LOG_DIR/initdb.log" >&2; die "initdb failed"; }
    rm -f "$pwfile"
    as_pg_user mkdir -p "$sock"
    chmod 700 "$sock"
    local fresh=1
  fi
  wait_until "the previous postgres processes to exit" "$data/postgres.log" pg_processes_gone "$data/db"
  log "starting postgres on 127.0.0.1:$STACK_PG_PORT"
  STARTED=1
  # The server writes its log beside its data (a place the postgres user can always reach); the
  # stack's log folder links to it.
  ln -sfn "$data/postgres.log" "$STACK_LOG_DIR/postgres.log"
  # wal_level=logical is what logical decoding (pgoutput) needs; the rest keeps it private to loopback.
  as_pg_user "$PG_BIN/pg_ctl" -D "$data/db" -l "$data/postgres.log" -w -t "$STACK_READY_TIMEOUT_S" start \
    -o "-c port=$STACK_PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$sock -c wal_level=logical -c max_replication_slots=10 -c max_wal_senders=10" \
    >/dev/null || { tail -n 20 "$data/postgres.log" >&2; die "postgres did not start"; }
  head -n 1 "$data/db/postmaster.pid" >"$(pid_file postgres)"
  wait_until postgres "$STACK_LOG_DIR/postgres.log" pg_ready
  if [ "${fresh:-0}" = 1 ]; then
    log "creating database $STACK_PG_DB and running database/init.sh"
    # Over the stack's own socket (local trust), as the database superuser.
    "$PG_BIN/createdb" -h "$sock" -p "$STACK_PG_PORT" -U postgres "$STACK_PG_DB"
    if ! env PGHOST="$sock" PGPORT="$STACK_PG_PORT" PGUSER=postgres POSTGRES_DB="$STACK_PG_DB" \
        ORDERS_OWNER_PASSWORD="$ORDERS_OWNER_PASSWORD" DEBEZIUM_DB_PASSWORD="$DEBEZIUM_DB_PASSWORD" \
        ORDERS_API_DB_PASSWORD="$ORDERS_API_DB_PASSWORD" ORDERS_EDITOR_DB_PASSWORD="$ORDERS_EDITOR_DB_PASSWORD" \
        sh "$STACK_ROOT/database/init.sh" >"$STACK_LOG_DIR/init-sql.log" 2>&1; then
      cat "$STACK_LOG_DIR/init-sql.log" >&2
      as_pg_user "$PG_BIN/pg_ctl" -D "$data/db" -m fast stop >/dev/null || true
      rm -rf "$data" "$(pid_file postgres)"
      die "database/init.sh failed; the data directory was removed so the next run starts clean"
    fi
  fi
}

kafka_ready() {
  java -Xmx128m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$STACK_ROOT/stack/log4j2.properties" \
    -Dlog4j2.level=ERROR -cp "$JAVA_LIB/lib/*" org.apache.kafka.tools.BrokerApiVersionsCommand \
    --bootstrap-server "127.0.0.1:$STACK_KAFKA_PORT"
}

# already_running NAME PORT: true (and says so) when NAME is up already, so its start is skipped.
already_running() {
  is_running "$1" || return 1
  log "$1 already running on 127.0.0.1:$2"
}

# write_properties OUT BASE LINE…: the properties file BASE with LINEs appended (a later key wins), in OUT.
write_properties() {
  local out=$1 base=$2
  shift 2
  mkdir -p "$(dirname "$out")"
  { cat "$base"; printf '%s\n' "$@"; } >"$out"
}

start_kafka() {
  already_running kafka "$STACK_KAFKA_PORT" && return 0
  local dir="$STACK_DIR/kafka"
  write_properties "$dir/server.properties" "$STACK_ROOT/stack/kafka.properties" \
    "listeners=PLAINTEXT://127.0.0.1:$STACK_KAFKA_PORT,CONTROLLER://127.0.0.1:$STACK_KAFKA_CONTROLLER_PORT" \
    "advertised.listeners=PLAINTEXT://127.0.0.1:$STACK_KAFKA_PORT" \
    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT" \
    "controller.quorum.voters=1@127.0.0.1:$STACK_KAFKA_CONTROLLER_PORT" \
    "log.dirs=$dir/data"
  if [ ! -f "$dir/cluster-id" ]; then
    java_cmd kafka-storage kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$dir/cluster-id"
  fi
  java_cmd kafka-storage kafka.tools.StorageTool format -t "$(cat "$dir/cluster-id")" \
    -c "$dir/server.properties" --ignore-formatted >"$STACK_LOG_DIR/kafka-format.log" 2>&1 \
    || { cat "$STACK_LOG_DIR/kafka-format.log" >&2; die "formatting Kafka's storage failed"; }
  log "starting kafka on 127.0.0.1:$STACK_KAFKA_PORT"
  STARTED=1
  rotate_log "$STACK_LOG_DIR/kafka.log"
  nohup java -Xms128m -Xmx"$STACK_JVM_HEAP" -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$STACK_ROOT/stack/log4j2.properties" \
    -cp "$JAVA_LIB/lib/*" kafka.Kafka "$dir/server.properties" >"$STACK_LOG_DIR/kafka.log" 2>&1 &
  echo $! >"$(pid_file kafka)"
  wait_until kafka "$STACK_LOG_DIR/kafka.log" ready_or_exited kafka kafka_ready
  is_running kafka || { log "kafka exited while starting (see $STACK_LOG_DIR/kafka.log)"; return 1; }
}

connect_ready() { curl -fsS -o /dev/null "http://127.0.0.1:$STACK_CONNECT_PORT/health"; }

start_connect() {
  already_running connect "$STACK_CONNECT_PORT" && return 0
  local dir="$STACK_DIR/connect"
  write_properties "$dir/connect.properties" "$STACK_ROOT/connectors/connect-worker.properties" \
    "bootstrap.servers=127.0.0.1:$STACK_KAFKA_PORT" "listeners=http://127.0.0.1:$STACK_CONNECT_PORT" "plugin.path=$JAVA_LIB/plugins"
  log "starting kafka connect on 127.0.0.1:$STACK_CONNECT_PORT"
  STARTED=1
  rotate_log "$STACK_LOG_DIR/connect.log"
  # The connector config reads these through the worker's ${env:…} config provider (BOOTSTRAP_SERVERS:
  # where its signal channel reads, as the Connect image's variable of that name says in compose).
  ORDERS_DB_HOST=127.0.0.1 ORDERS_DB_PORT="$STACK_PG_PORT" ORDERS_DB_NAME="$STACK_PG_DB" \
  DEBEZIUM_DB_PASSWORD="$DEBEZIUM_DB_PASSWORD" BOOTSTRAP_SERVERS="127.0.0.1:$STACK_KAFKA_PORT" \
  nohup java -Xms128m -Xmx"$STACK_JVM_HEAP" -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$STACK_ROOT/stack/log4j2.properties" \
    -cp "$JAVA_LIB/lib/*" org.apache.kafka.connect.cli.ConnectDistributed "$dir/connect.properties" \
    >"$STACK_LOG_DIR/connect.log" 2>&1 &
  echo $! >"$(pid_file connect)"
  wait_until connect "$STACK_LOG_DIR/connect.log" connect_ready_or_hopeless
  # Connect exits when Kafka does not answer at its start, but only after a minute of retries: if
  # Kafka died meanwhile, it is stopped now (it holds no task yet) and started again after Kafka.
  if is_running connect && ! is_running kafka; then
    log "kafka died while connect was starting; stopping connect to start both again"
    kill -KILL "$(cat "$(pid_file connect)")" 2>/dev/null || true
    rm -f "$(pid_file connect)"
    return 1
  fi
  is_running connect || { log "kafka connect exited while starting (see $STACK_LOG_DIR/connect.log)"; return 1; }
}

connect_ready_or_hopeless() { ready_or_exited connect connect_ready || ! is_running kafka; }

# The topics the connector writes: its table's and its heartbeats' (topic.heartbeat.prefix's
# default, "__debezium-heartbeat", plus topic.prefix; it heartbeats every heartbeat.interval.ms).
CONNECTOR_TOPICS='orders.public.orders|__debezium-heartbeat.orders'

# Sum of the end offsets of the connector's topics (0 before either exists, or if Kafka does not
# answer within 15 s: the admin client would otherwise retry for a minute).
connector_records() {
  { timeout 15 java -Xmx128m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$STACK_ROOT/stack/log4j2.properties" \
      -cp "$JAVA_LIB/lib/*" org.apache.kafka.tools.GetOffsetShell \
      --bootstrap-server "127.0.0.1:$STACK_KAFKA_PORT" --topic "$CONNECTOR_TOPICS" --time -1 2>/dev/null || true; } \
    | awk -F: '/^[^ \t\[]+:[0-9]+:[0-9]+$/ { sum += $3 } END { print sum + 0 }'
}

records_advanced_past() { [ "$(connector_records)" -gt "$1" ]; }

all_running() { pg_ready && is_running kafka && is_running connect; }

# Records flow again, or a component died meanwhile (then waiting longer is pointless: start it).
flowing_or_broken() { ! all_running || records_advanced_past "$1"; }

# Registers the connector; returns 1 at once if Connect dies meanwhile (instead of waiting out the timeout).
register_connector() {
  CONNECT_URL="http://127.0.0.1:$STACK_CONNECT_PORT" REGISTER_TIMEOUT_S="$STACK_READY_TIMEOUT_S" \
    sh "$STACK_ROOT/connectors/register.sh" >&2 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if ! is_running connect; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      log "kafka connect exited while the connector was being registered"
      return 1
    fi
    sleep 0.5
  done
  wait "$pid" || { tail -n 40 "$STACK_LOG_DIR/connect.log" >&2; die "no task of the orders connector reached RUNNING"; }
}

# Set by a start_* function that had to start its component.
STARTED=0
# A component that dies while the stack comes up (Connect exits when Kafka does not answer) is
# started again this many times before up.sh gives up.
STACK_START_ATTEMPTS=${STACK_START_ATTEMPTS:-5}

# ready_or_exited <component> <ready command…>: it answers, or its process is gone (no use waiting).
ready_or_exited() { local name=$1; shift; "$@" || ! is_running "$name"; }

main() {
  check_prerequisites
  mkdir -p "$STACK_DIR/run" "$STACK_LOG_DIR"
  fetch_jars
  local records_before attempt=0
  while :; do
    attempt=$((attempt + 1))
    [ "$attempt" -le "$STACK_START_ATTEMPTS" ] || die "the stack did not come up in $STACK_START_ATTEMPTS attempts"
    [ "$attempt" = 1 ] || log "starting what is down again (attempt $attempt of $STACK_START_ATTEMPTS)"
    start_postgres
    start_kafka || continue
    # What the pipeline had written before Connect is (re)started and the connector registered.
    records_before=$(connector_records)
    start_connect || continue
    register_connector || continue
    [ "$STARTED" = 1 ] || break
    # A component was (re)started: the pipeline is back when the connector's records reach Kafka
    # again — a change, or its heartbeat within heartbeat.interval.ms — not when some status says so.
    log "waiting for the connector's records to reach Kafka (topics $CONNECTOR_TOPICS past end offset $records_before)"
    wait_until "the connector's records" "$STACK_LOG_DIR/connect.log" flowing_or_broken "$records_before"
    if all_running; then
      log "records are reaching Kafka"
      break
    fi
    log "a component died while waiting for records; starting it again"
  done
  # Up: npm start watches it again (stack/down.sh had marked it stopped on purpose).
  rm -f "$(stack_down_mark)"
  cat <<EOT
[stack] up. Endpoints:
  postgres        postgres://127.0.0.1:$STACK_PG_PORT/$STACK_PG_DB  (superuser postgres / \$POSTGRES_PASSWORD)
  kafka           127.0.0.1:$STACK_KAFKA_PORT   topic orders.public.orders
  kafka connect   http://127.0.0.1:$STACK_CONNECT_PORT/connectors/orders/status
  logs            $STACK_LOG_DIR
  stop            npm run stack:down
EOT
}

# One run at a time (npm start's watch and a hand-run `npm run stack:up` may overlap): a second waits,
# then finds the components running. flock -o holds the lock itself and closes it for this script, so
# the components started here (which outlive it) never hold it.
if [ -z "${STACK_UP_LOCKED:-}" ]; then
  mkdir -p "$STACK_DIR/run"
  STACK_UP_LOCKED=1 exec flock -o "$STACK_DIR/run/up.lock" bash "${BASH_SOURCE[0]}" "$@"
fi
main "$@"
