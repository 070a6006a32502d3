#!/bin/sh
# Registers (or updates) the orders connector and waits until its task is RUNNING.
# Shared by both stacks: compose runs it in a one-shot curl container once Connect is healthy;
# the native stack runs it from stack/up.sh. POSIX sh + curl only (the curl image has nothing else).
#
#   CONNECT_URL      Kafka Connect REST endpoint         (default http://127.0.0.1:8083)
#   CONNECTOR_FILE   connector config, a bare config map  (default ../register-orders-connector.json)
#   TABLES_FILE      the streamed tables, one schema.table a line (default ../database/tables.list)
#   REGISTER_TIMEOUT_S  how long to wait for a RUNNING task (default 120)
#
# The connector's table.include.list is the file's value (the tables always streamed: the heartbeat
# table) followed by TABLES_FILE's tables, computed here at every registration, so both stacks stream
# what database/tables.list names, the list the database's publication was made from. The curl image
# has no jq: the config is edited with sed, on the one line that holds the key.
#
# PUT /connectors/<name>/config creates the connector or replaces its config, so running this again
# is harmless (POST /connectors would answer 409 the second time); a FAILED connector or task is
# restarted (below), so a second `docker compose up` after a failure does not stop here.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CONNECT_URL=${CONNECT_URL:-http://127.0.0.1:8083}
CONNECTOR_FILE=${CONNECTOR_FILE:-$here/../register-orders-connector.json}
REGISTER_TIMEOUT_S=${REGISTER_TIMEOUT_S:-120}

[ -r "$CONNECTOR_FILE" ] || { echo "register: cannot read $CONNECTOR_FILE" >&2; exit 1; }
name=$(sed -n 's/^[[:space:]]*"name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$CONNECTOR_FILE" | head -n 1)
[ -n "$name" ] || { echo "register: $CONNECTOR_FILE has no \"name\"" >&2; exit 1; }

TABLES_FILE=${TABLES_FILE:-$here/../database/tables.list}
[ -r "$TABLES_FILE" ] || { echo "register: cannot read $TABLES_FILE" >&2; exit 1; }
tables=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$TABLES_FILE")
bad=$(printf '%s\n' "$tables" | grep -v -E '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$' || true)
[ -z "$bad" ] || { echo "register: $TABLES_FILE: not a schema.table name: $bad" >&2; exit 1; }
[ -n "$tables" ] || { echo "register: $TABLES_FILE names no table" >&2; exit 1; }
include_line='^\([[:space:]]*"table\.include\.list"[[:space:]]*:[[:space:]]*"\)\([^"]*\)"'
grep -q "$include_line" "$CONNECTOR_FILE" || { echo "register: $CONNECTOR_FILE has no \"table.include.list\" line" >&2; exit 1; }
include=$(printf '%s\n' "$tables" | tr '\n' , | sed 's/,$//')
# The names are [a-z0-9_.] only (checked above): nothing in them is special to sed.
config() { sed "s/$include_line/\\1\\2,$include\"/" "$CONNECTOR_FILE"; }
echo "register: streaming $(config | sed -n 's/.*"table\.include\.list"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')"

deadline=$(( $(date +%s) + REGISTER_TIMEOUT_S ))
past_deadline() { [ "$(date +%s)" -ge "$deadline" ]; }

until curl -fsS -o /dev/null "$CONNECT_URL/health" 2>/dev/null; do
  past_deadline && { echo "register: Kafka Connect at $CONNECT_URL is not healthy" >&2; exit 1; }
  sleep 1
done

echo "register: PUT $CONNECT_URL/connectors/$name/config"
response=$(config | curl -sS -w '\n%{http_code}' -X PUT -H 'Content-Type: application/json' \
  --data-binary @- "$CONNECT_URL/connectors/$name/config")
code=$(printf '%s' "$response" | tail -n 1)
case "$code" in
  200|201) ;;
  *) echo "register: Connect answered HTTP $code:" >&2
     printf '%s\n' "$response" | sed '$d' >&2
     exit 1 ;;
esac

# Restart what has FAILED (Kafka Connect never restarts a failed task by itself, and a FAILED status
# stays in its status topic until the task is started again): POST /connectors/<name>/restart with
# includeTasks=true&onlyFailed=true restarts only the failed connector and tasks (KIP-745, Kafka 3.0;
# https://kafka.apache.org/documentation/#connect_rest "POST /connectors/{name}/restart"). It answers
# 202 with the new status, 204 when nothing needed it; 409 while the worker group rebalances and 404
# until a connector just created is known to the worker, both worth asking again.
restart_failed() {
  echo "register: POST $CONNECT_URL/connectors/$name/restart?includeTasks=true&onlyFailed=true"
  while :; do
    # (curl writes 000 for no answer at all.)
    restart_code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST \
      "$CONNECT_URL/connectors/$name/restart?includeTasks=true&onlyFailed=true" 2>/dev/null) || true
    case "${restart_code:-000}" in
      200|202|204) return 0 ;;
      404|409|000) past_deadline && { echo "register: the restart was not accepted (HTTP $restart_code)" >&2; return 1; } ;;
      *) echo "register: Connect answered the restart with HTTP $restart_code" >&2; return 1 ;;
    esac
    sleep 1
  done
}
# A task that fails again after this many restarts is a real fault (a wrong config, a missing
# publication): reported with its trace instead of being restarted until the deadline.
REGISTER_MAX_RESTARTS=${REGISTER_MAX_RESTARTS:-3}
# A restart takes effect asynchronously: the status read right after it can still say FAILED.
RESTART_SETTLE_S=5
restart_failed || true
last_restart=$(date +%s)
restarts=0

# Status looks like {"connector":{"state":"RUNNING",…},"tasks":[{"id":0,"state":"RUNNING",…}],…}
# The task is what streams; the connector object only hands out task configs. Right after a worker
# restart the connector can read UNASSIGNED while its task runs and records flow, so the wait ends
# when a task is RUNNING (and none FAILED), whatever the connector's own state.
echo "register: waiting for a task of connector $name to be RUNNING"
while :; do
  status=$(curl -fsS "$CONNECT_URL/connectors/$name/status" 2>/dev/null || true)
  states=$(printf '%s' "$status" | grep -o '"state":"[A-Z_]*"' | sed 's/.*:"\(.*\)"/\1/' | tr '\n' ' ')
  case " $states" in
    *" FAILED "*)
      if [ $(( $(date +%s) - last_restart )) -ge "$RESTART_SETTLE_S" ]; then
        if [ "$restarts" -ge "$REGISTER_MAX_RESTARTS" ]; then
          echo "register: connector $name failed again after $restarts restarts: $status" >&2
          exit 1
        fi
        echo "register: a part of connector $name is FAILED; restarting it" >&2
        restarts=$((restarts + 1))
        restart_failed || true
        last_restart=$(date +%s)
      fi
      past_deadline && { echo "register: connector $name FAILED: $status" >&2; exit 1; }
      sleep 1
      continue ;;
  esac
  # The first state is the connector's, the rest its tasks'.
  connector_state=${states%% *}
  task_states=${states#* }
  case " $task_states" in
    *" RUNNING "*)
      echo "register: a task of connector $name is RUNNING (connector: $connector_state)"
      exit 0 ;;
  esac
  past_deadline && { echo "register: no task of connector $name RUNNING in ${REGISTER_TIMEOUT_S}s: $status" >&2; exit 1; }
  sleep 1
done
