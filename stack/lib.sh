# Shared by the native stack scripts: settings, logging, process and readiness helpers.
# Sourced, not run. Every setting can be overridden from the environment.

STACK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Versions and demo credentials: the same file docker compose reads. The environment wins.
load_env_file() {
  local line key
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    key=${line%%=*}
    [ -n "${!key+x}" ] || export "$line"
  done < "$STACK_ROOT/.env"
}
load_env_file

STACK_DIR=${STACK_DIR:-$STACK_ROOT/.stack}
STACK_LOG_DIR=${STACK_LOG_DIR:-$STACK_DIR/logs}
# Every default port is below Linux's ephemeral range (32768–60999), where an outgoing connection's
# local port could take it first (seen here with 10,000 benchmark clients).
STACK_PG_PORT=${STACK_PG_PORT:-25432}
STACK_KAFKA_PORT=${STACK_KAFKA_PORT:-19092}
STACK_KAFKA_CONTROLLER_PORT=${STACK_KAFKA_CONTROLLER_PORT:-19093}
STACK_CONNECT_PORT=${STACK_CONNECT_PORT:-18083}
STACK_PG_DB=${STACK_PG_DB:-shop}
# Seconds each component may take to become healthy before up.sh gives up and points at its log.
STACK_READY_TIMEOUT_S=${STACK_READY_TIMEOUT_S:-120}
# Heap per JVM: three of them share a 2-core, small machine with the tests.
STACK_JVM_HEAP=${STACK_JVM_HEAP:-512m}

PG_BIN=${PG_BIN:-/usr/lib/postgresql/$POSTGRES_MAJOR/bin}
JAVA_LIB="$STACK_DIR/jvm/$KAFKA_VERSION-$DEBEZIUM_VERSION"

# How many earlier logs of each component rotate_log keeps (NAME.log.1 the newest).
STACK_LOG_KEEP=${STACK_LOG_KEEP:-5}

# rotate_log FILE: the previous FILE becomes FILE.1 (FILE.1 becomes FILE.2, …, up to STACK_LOG_KEEP), so
# a start never overwrites the lines that say why the previous run ended.
rotate_log() {
  local f=$1 i
  [ -s "$f" ] || return 0
  for ((i = STACK_LOG_KEEP - 1; i >= 1; i--)); do
    if [ -f "$f.$i" ]; then mv -f "$f.$i" "$f.$((i + 1))"; fi
  done
  mv -f "$f" "$f.1"
}

log() { printf '[stack] %(%H:%M:%S)T %s\n' -1 "$*" >&2; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

# Left by stack/down.sh and removed by stack/up.sh: the stack is down on purpose, so npm start does not
# bring it back.
stack_down_mark() { echo "$STACK_DIR/run/stopped-by-stack-down"; }

# pid file helpers: a component is running when its pid file names a live process — not one that
# was just killed and is not yet reaped (a zombie still answers kill -0).
pid_file() { echo "$STACK_DIR/run/$1.pid"; }
is_running() {
  local f pid; f=$(pid_file "$1")
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  kill -0 "$pid" 2>/dev/null || return 1
  [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ]
}

# wait_until <what> <log file> <command…>: retries the command once a second until it succeeds.
wait_until() {
  local what=$1 logf=$2; shift 2
  local deadline=$((SECONDS + STACK_READY_TIMEOUT_S))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$what did not become ready within ${STACK_READY_TIMEOUT_S}s; last lines of $logf:"
      tail -n 30 "$logf" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 1
  done
}

# Stop a component: SIGTERM, then SIGKILL if it has not exited after 30 s.
stop_component() {
  local name=$1 f pid i
  f=$(pid_file "$name")
  if ! is_running "$name"; then rm -f "$f"; return 0; fi
  pid=$(cat "$f")
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop within 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# Postgres refuses to run as root; on CI and in containers we are root, so run it as `postgres`.
# It runs from / because the postgres user may not be allowed into the current directory.
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

java_cmd() {
  # $1 = component name (log4j's file name), rest = main class and args
  local name=$1; shift
  java -Xms128m -Xmx"$STACK_JVM_HEAP" -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$STACK_ROOT/stack/log4j2.properties" \
    -cp "$JAVA_LIB/lib/*" "$@"
}
