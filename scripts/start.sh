#!/usr/bin/env bash
# `npm start`: the whole system without Docker. Native stack (Postgres, Kafka, Connect + Debezium),
# then the websocket-service, the orders API and the web-client as node processes, and Adminer
# (Debian's, stack/adminer.sh) when PHP and the adminer package are installed. Ports: WEB_PORT,
# WS_PORT, API_PORT, ADMINER_PORT (.env or the environment).
#
# It supervises what it started (docs/operations.md, "npm start"):
#   - a service that exits is named on the console with its exit code and log, and started again after
#     a backoff (1 s, doubling to 30 s; back to 1 s once it had stayed up a minute);
#   - a stack component (Postgres, Kafka, Kafka Connect) that dies is named and brought back by
#     stack/up.sh, which starts what is missing; if that fails it prints the command to run by hand;
#   - Adminer is optional: when it cannot start, the console says why and the rest runs on.
# Ctrl-C (or SIGTERM) stops the services; the stack keeps running (`npm run stack:down` stops it).
# Each service's log is $STACK_LOG_DIR/NAME.log; the previous runs' are kept as NAME.log.1 … .5.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source stack/lib.sh

WS_PORT=${WS_PORT:-3001}
WEB_PORT=${WEB_PORT:-3000}
API_PORT=${API_PORT:-3002}
ADMINER_PORT=${ADMINER_PORT:-8081}

# Restart backoff of a service that exited: the first wait, its cap, and how long a run must last to
# count as healthy (then the next exit waits the first delay again) — a crash loop costs little CPU,
# one crash a minute is restarted at once.
RESTART_FIRST_DELAY_S=1
RESTART_MAX_DELAY_S=30
RESTART_STABLE_S=60
# Adminer is a tool, not part of the system: after this many exits in a row, each within
# RESTART_STABLE_S (its port taken, say), it is left stopped instead of retried for ever.
ADMINER_GIVE_UP_AFTER=3
# How long npm start waits for Adminer to answer before it goes on without it (PHP starts in < 1 s).
ADMINER_READY_TIMEOUT_S=30
# How often the stack's components are checked for life (pid files: cheap, local).
STACK_CHECK_INTERVAL_S=2
# A service that has not closed this long after SIGTERM gets SIGKILL (they close in about a second).
STOP_TIMEOUT_S=15

say() { printf '[start] %(%H:%M:%S)T %s\n' -1 "$*" >&2; }

# What an exit code means, for the console: 137 is "killed by SIGKILL", not a number to look up.
describe_exit() {
  local code=$1
  if [ "$code" -gt 128 ] && kill -l "$((code - 128))" >/dev/null 2>&1; then
    echo "exit code $code, killed by SIG$(kill -l "$((code - 128))")"
  else
    echo "exit code $code"
  fi
}

# supervise NAME GIVE_UP COMMAND…: run in the background. Runs COMMAND, its output appended to
# NAME's log and its pid in $STACK_DIR/run/NAME.pid, and starts it again whenever it exits (see the
# backoff above); GIVE_UP > 0 leaves it stopped after that many quick exits in a row. SIGTERM stops
# the command (SIGTERM, so it closes cleanly) and the supervision.
# supervise's SIGTERM trap (its locals are in scope). Never `kill 0`: that signals the whole process
# group, npm start itself and the stack's components among it. The waits are `|| true`: under set -e,
# one reporting the child's signal would end the trap before its clean-up.
stop_supervised() {
  if [ "$sleeper" != 0 ]; then kill -TERM "$sleeper" 2>/dev/null || true; fi
  if [ "$child" != 0 ]; then
    kill -TERM "$child" 2>/dev/null || true
    # One that does not close in time is killed: a stop never hangs.
    (sleep "$STOP_TIMEOUT_S" && kill -KILL "$child" 2>/dev/null) &
    local killer=$!
    wait "$child" 2>/dev/null || true
    kill "$killer" 2>/dev/null || true
  fi
  rm -f "$pidf"
  exit 0
}

supervise() {
  local name=$1 give_up=$2
  shift 2
  local logf="$STACK_LOG_DIR/$name.log" pidf="$STACK_DIR/run/$name.pid"
  local delay=$RESTART_FIRST_DELAY_S quick=0 child=0 sleeper=0 code started ran
  trap 'stop_supervised' TERM
  # A Ctrl-C reaches every process of the terminal's group: this one leaves the stop to npm start,
  # which sends SIGTERM (dying of SIGINT here would leave the service running unsupervised).
  trap '' INT
  while :; do
    started=$SECONDS
    # Its own session: a Ctrl-C at the terminal reaches the whole foreground process group, and a
    # service stopping on its own SIGINT would look like a crash to restart. npm start stops it instead.
    setsid "$@" >>"$logf" 2>&1 </dev/null &
    child=$!
    echo "$child" >"$pidf"
    code=0
    wait "$child" || code=$?
    ran=$((SECONDS - started))
    if [ "$ran" -ge "$RESTART_STABLE_S" ]; then
      delay=$RESTART_FIRST_DELAY_S
      quick=0
    else
      quick=$((quick + 1))
    fi
    printf '[start] %(%F %T)T exited (%s) after %ss\n' -1 "$(describe_exit "$code")" "$ran" >>"$logf"
    if [ "$give_up" -gt 0 ] && [ "$quick" -ge "$give_up" ]; then
      say "$name exited ($(describe_exit "$code")) $quick times in a row within ${RESTART_STABLE_S}s; not restarting it. Log: $logf"
      rm -f "$pidf"
      return 0
    fi
    say "$name exited ($(describe_exit "$code")) after ${ran}s; restarting it in ${delay}s. Log: $logf"
    sleep "$delay" &
    sleeper=$!
    wait "$sleeper" || true
    delay=$((delay * 2 > RESTART_MAX_DELAY_S ? RESTART_MAX_DELAY_S : delay * 2))
  done
}

supervisors=()
stack_fixer=0
watch_sleeper=0
stop_all() {
  local code=$1
  # Ignored from here on: a second Ctrl-C (npm passes its own SIGINT on too) must not end this script
  # halfway and leave the services running without their supervisors.
  trap '' INT TERM
  trap - EXIT
  if [ "$stack_fixer" != 0 ]; then kill -TERM "$stack_fixer" 2>/dev/null || true; fi
  # The watch loop's pause: it would outlive Ctrl-C by up to STACK_CHECK_INTERVAL_S.
  if [ "$watch_sleeper" != 0 ]; then kill -TERM "$watch_sleeper" 2>/dev/null || true; fi
  if [ ${#supervisors[@]} -gt 0 ]; then
    say "stopping the services"
    kill -TERM "${supervisors[@]}" 2>/dev/null || true
    wait "${supervisors[@]}" 2>/dev/null || true
  fi
  say "the stack is still running: npm run stack:down stops it"
  exit "$code"
}

bash stack/up.sh
say "building"
npm run build --silent

mkdir -p "$STACK_DIR/run" "$STACK_LOG_DIR"
for name in websocket-service orders-api web-client adminer; do rotate_log "$STACK_LOG_DIR/$name.log"; done
# Ctrl-C and SIGTERM are a requested stop (exit 0); any other end (a service never became ready) keeps its code.
trap 'stop_all 0' INT TERM
trap 'stop_all $?' EXIT

# CHECKPOINT_DIR: a restart loads the view from its checkpoint (docs/operations.md, Start-up checkpoint).
# TABLES_FILE: the tables it serves, followed while it runs (npm run tables -- add|remove edits it).
supervise websocket-service 0 env KAFKA_BROKERS="127.0.0.1:$STACK_KAFKA_PORT" CONNECT_URL="http://127.0.0.1:$STACK_CONNECT_PORT" PORT="$WS_PORT" HOST=127.0.0.1 CHECKPOINT_DIR="$STACK_DIR/checkpoint" \
  TABLES_FILE="$PWD/database/tables.list" COUNT_BY=orders=status,customers=tier \
  node --disable-warning=TimeoutNegativeWarning services/websocket-service/dist/main.js &
supervisors+=($!)
supervise orders-api 0 env PGHOST=127.0.0.1 PGPORT="$STACK_PG_PORT" PGDATABASE="$STACK_PG_DB" PGUSER=orders_api \
  PGPASSWORD="$ORDERS_API_DB_PASSWORD" CORS_ORIGINS="http://localhost:$WEB_PORT,http://127.0.0.1:$WEB_PORT" \
  PORT="$API_PORT" HOST=127.0.0.1 node services/orders-api/dist/main.js &
supervisors+=($!)
supervise web-client 0 env WEBSOCKET_URL="ws://localhost:$WS_PORT/ws" ORDERS_API_URL="http://localhost:$API_PORT" \
  PORT="$WEB_PORT" HOST=127.0.0.1 node web-client/dist/server/main.js &
supervisors+=($!)

# The websocket-service is ready once it has read every table's topic. A stack whose topics hold a
# long history (benchmarks and tests write millions of rows) takes minutes: say how far it is every
# 10 s, and on the deadline what to do, rather than stop with a bare timeout.
wait_for_websocket_service() {
  local deadline=$((SECONDS + STACK_READY_TIMEOUT_S)) report=$((SECONDS + 10)) behind
  until curl -fsS "http://127.0.0.1:$WS_PORT/readyz" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$report" ]; then
      behind=$(curl -sS "http://127.0.0.1:$WS_PORT/readyz" 2>/dev/null |
        node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{try{console.log(JSON.parse(s).status.lag.behind)}catch{console.log("?")}})')
      log "websocket-service is reading its topics: ${behind:-?} records to go"
      report=$((SECONDS + 10))
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "websocket-service did not become ready within ${STACK_READY_TIMEOUT_S}s. Its topics may hold a long history"
      log "(benchmarks, tests): give it longer (STACK_READY_TIMEOUT_S=900 npm start) or start from empty topics and"
      log "a fresh database (npm run stack:down -- --purge, then npm start). Last lines of its log:"
      tail -n 30 "$STACK_LOG_DIR/websocket-service.log" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 1
  done
}

wait_for_websocket_service
wait_until orders-api "$STACK_LOG_DIR/orders-api.log" curl -fsS "http://127.0.0.1:$API_PORT/readyz"
wait_until web-client "$STACK_LOG_DIR/web-client.log" curl -fsS "http://127.0.0.1:$WEB_PORT/healthz"

adminer_answers() { curl -fsS -o /dev/null "http://127.0.0.1:$ADMINER_PORT/" 2>/dev/null; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Waits until Adminer answers, its supervisor gave up on it, or the deadline passed (not wait_until:
# that ends npm start, and Adminer is optional).
wait_for_adminer() {
  local supervisor=$1 deadline=$((SECONDS + ADMINER_READY_TIMEOUT_S))
  until adminer_answers; do
    if ! kill -0 "$supervisor" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep 0.2
  done
}

adminer_problem=
if ! adminer_problem=$(bash stack/adminer.sh --check 2>&1); then
  adminer_problem=${adminer_problem##*error: }
elif port_taken "$ADMINER_PORT"; then
  adminer_problem="port $ADMINER_PORT is taken by another program (set ADMINER_PORT)"
else
  adminer_problem=
  supervise adminer "$ADMINER_GIVE_UP_AFTER" env ADMINER_PORT="$ADMINER_PORT" bash stack/adminer.sh &
  adminer_supervisor=$!
  supervisors+=("$adminer_supervisor")
  wait_for_adminer "$adminer_supervisor" \
    || adminer_problem="it did not answer on port $ADMINER_PORT within ${ADMINER_READY_TIMEOUT_S}s (log: $STACK_LOG_DIR/adminer.log)"
fi
if [ -z "$adminer_problem" ]; then
  adminer_line="http://127.0.0.1:$ADMINER_PORT
                       System: PostgreSQL · Server: 127.0.0.1:$STACK_PG_PORT · Database: $STACK_PG_DB
                       Username: orders_editor · Password: $ORDERS_EDITOR_DB_PASSWORD
                       (a role that edits rows of the demo's tables — orders, customers, order_lines — and nothing else)"
else
  adminer_line="not started: $adminer_problem"
  say "Adminer not started: $adminer_problem; going on without it"
fi

# A row that exists now, for the example below.
example_id=$(PGPASSWORD="$ORDERS_EDITOR_DB_PASSWORD" psql -X -A -t -h 127.0.0.1 -p "$STACK_PG_PORT" -U orders_editor -d "$STACK_PG_DB" \
  -c 'SELECT min(id) FROM orders' 2>/dev/null || true)
editor_url="postgres://orders_editor:$ORDERS_EDITOR_DB_PASSWORD@127.0.0.1:$STACK_PG_PORT/$STACK_PG_DB"
if [ -n "$example_id" ]; then
  example="psql $editor_url \\
      -c \"UPDATE orders SET quantity = quantity + 1 WHERE id = $example_id\""
else
  example="psql $editor_url \\
      -c \"INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ('Ada', 'Lamp', 1, 30)\""
fi

cat <<EOT

  Orders, live:        http://localhost:$WEB_PORT
  Adminer:             $adminer_line
  Raw change events:   npm run events   (npm run events -- --from-beginning for the whole topic; -- --help)
  websocket-service:   ws://localhost:$WS_PORT/ws   (health: http://localhost:$WS_PORT/readyz)
  orders API:          http://localhost:$API_PORT/api/orders
  postgres:            psql $editor_url
  logs:                $STACK_LOG_DIR   (the previous runs': NAME.log.1 … NAME.log.$STACK_LOG_KEEP)

  Simulate traffic:    npm run simulate -- --rate 5 --duration 60
  Change a row and watch the page:
    $example

  A service that exits is restarted; a stack component that dies is brought back.
  Ctrl-C stops the services.
EOT

# The command that brings the stack back by hand, with this run's settings.
stack_up_command="STACK_DIR=$STACK_DIR STACK_PG_PORT=$STACK_PG_PORT STACK_KAFKA_PORT=$STACK_KAFKA_PORT"
stack_up_command+=" STACK_KAFKA_CONTROLLER_PORT=$STACK_KAFKA_CONTROLLER_PORT STACK_CONNECT_PORT=$STACK_CONNECT_PORT npm run stack:up"

component_title() {
  case "$1" in
    postgres) echo "Postgres" ;;
    kafka) echo "Kafka" ;;
    connect) echo "Kafka Connect" ;;
  esac
}

# Watches the stack until Ctrl-C: a component whose process is gone is named and stack/up.sh started,
# which brings back what is missing and waits until the connector's records flow again.
stack_delay=$RESTART_FIRST_DELAY_S
said_down=0
while :; do
  sleep "$STACK_CHECK_INTERVAL_S" &
  watch_sleeper=$!
  wait "$watch_sleeper" || true
  watch_sleeper=0
  # Stopped on purpose (npm run stack:down): left down until npm run stack:up starts it again.
  if [ -e "$(stack_down_mark)" ]; then
    if [ "$said_down" = 0 ]; then
      say "the stack was stopped with npm run stack:down; not bringing it back (npm run stack:up does)"
      said_down=1
    fi
    continue
  fi
  if [ "$said_down" = 1 ]; then say "the stack is up again; watching it"; fi
  said_down=0
  dead=()
  for component in postgres kafka connect; do
    if ! is_running "$component"; then dead+=("$(component_title "$component")"); fi
  done
  [ ${#dead[@]} -gt 0 ] || continue
  what=$(printf '%s, ' "${dead[@]}")
  what=${what%, }
  say "$what died; bringing it back with stack/up.sh (logs: $STACK_LOG_DIR; the dead one's: NAME.log.1)"
  bash stack/up.sh >/dev/null &
  stack_fixer=$!
  code=0
  wait "$stack_fixer" || code=$?
  stack_fixer=0
  if [ "$code" = 0 ]; then
    say "$what: back, and the connector's records reach Kafka again"
    stack_delay=$RESTART_FIRST_DELAY_S
  else
    say "stack/up.sh could not bring back $what (exit code $code). To try by hand: $stack_up_command. Trying again in ${stack_delay}s"
    sleep "$stack_delay" &
    wait $! || true
    stack_delay=$((stack_delay * 2 > RESTART_MAX_DELAY_S ? RESTART_MAX_DELAY_S : stack_delay * 2))
  fi
done
