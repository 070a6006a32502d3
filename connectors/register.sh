#!/bin/sh
# Registers (or updates) the orders connector and waits until its task is RUNNING.
# Shared by both stacks: compose runs it in a one-shot curl container once Connect is healthy;
# the native stack runs it from stack/up.sh. POSIX sh + curl only (the curl image has nothing else).
#
#   CONNECT_URL      Kafka Connect REST endpoint         (default http://127.0.0.1:8083)
#   CONNECTOR_FILE   connector config, a bare config map  (default ../register-orders-connector.json)
#   REGISTER_TIMEOUT_S  how long to wait for a RUNNING task (default 120)
#
# PUT /connectors/<name>/config creates the connector or replaces its config, so running this again
# is harmless (POST /connectors would answer 409 the second time).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CONNECT_URL=${CONNECT_URL:-http://127.0.0.1:8083}
CONNECTOR_FILE=${CONNECTOR_FILE:-$here/../register-orders-connector.json}
REGISTER_TIMEOUT_S=${REGISTER_TIMEOUT_S:-120}

[ -r "$CONNECTOR_FILE" ] || { echo "register: cannot read $CONNECTOR_FILE" >&2; exit 1; }
name=$(sed -n 's/^[[:space:]]*"name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$CONNECTOR_FILE" | head -n 1)
[ -n "$name" ] || { echo "register: $CONNECTOR_FILE has no \"name\"" >&2; exit 1; }

deadline=$(( $(date +%s) + REGISTER_TIMEOUT_S ))
past_deadline() { [ "$(date +%s)" -ge "$deadline" ]; }

until curl -fsS -o /dev/null "$CONNECT_URL/health" 2>/dev/null; do
  past_deadline && { echo "register: Kafka Connect at $CONNECT_URL is not healthy" >&2; exit 1; }
  sleep 1
done

echo "register: PUT $CONNECT_URL/connectors/$name/config"
response=$(curl -sS -w '\n%{http_code}' -X PUT -H 'Content-Type: application/json' \
  --data-binary "@$CONNECTOR_FILE" "$CONNECT_URL/connectors/$name/config")
code=$(printf '%s' "$response" | tail -n 1)
case "$code" in
  200|201) ;;
  *) echo "register: Connect answered HTTP $code:" >&2
     printf '%s\n' "$response" | sed '$d' >&2
     exit 1 ;;
esac

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
      echo "register: connector $name failed: $status" >&2
      exit 1 ;;
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
