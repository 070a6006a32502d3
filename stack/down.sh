#!/usr/bin/env bash
# Stops the native stack in reverse order of start. `--purge` also deletes its data (topics, database).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

stop_postgres() {
  local f; f=$(pid_file postgres)
  is_running postgres || { rm -f "$f"; return 0; }
  local data
  data=$(dirname "$(readlink -f "/proc/$(cat "$f")/cwd")")
  log "stopping postgres"
  as_pg_user "$PG_BIN/pg_ctl" -D "$data/db" -m fast -w stop >/dev/null || stop_component postgres
  rm -f "$f"
}

# First, so a watching npm start sees a stop, not components dying one by one to bring back.
mark_down() { mkdir -p "$STACK_DIR/run" && touch "$(stack_down_mark)"; }
mark_down

stop_component connect
stop_component kafka
stop_postgres

if [ "${1:-}" = "--purge" ]; then
  log "purging $STACK_DIR (keeping the downloaded jars)"
  rm -rf "$STACK_DIR/kafka" "$STACK_DIR/connect" "$STACK_DIR/pgdata" "$STACK_DIR/run" "$STACK_LOG_DIR"
  rm -rf /var/tmp/orders-live-pg-"$(printf '%s' "$STACK_DIR" | md5sum | cut -c1-12)"
  mark_down
fi
log "down"
