#!/usr/bin/env bash
# `npm start`: the whole system without Docker. Native stack (Postgres, Kafka, Connect + Debezium),
# then the websocket-service and the web-client as node processes. Ctrl-C stops the two services;
# the stack keeps running (stop it with `npm run stack:down`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source stack/lib.sh

WS_PORT=${WS_PORT:-3001}
WEB_PORT=${WEB_PORT:-3000}
API_PORT=${API_PORT:-3002}

bash stack/up.sh
log "building"
npm run build --silent

pids=()
stop_services() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    log "stopping the services"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  log "the stack is still running: npm run stack:down stops it"
}
trap stop_services INT TERM EXIT

KAFKA_BROKERS="127.0.0.1:$STACK_KAFKA_PORT" PORT="$WS_PORT" HOST=127.0.0.1 \
  node services/websocket-service/dist/main.js >"$STACK_LOG_DIR/websocket-service.log" 2>&1 &
pids+=($!)
PGHOST=127.0.0.1 PGPORT="$STACK_PG_PORT" PGDATABASE="$STACK_PG_DB" PGUSER=orders_api PGPASSWORD="$ORDERS_API_DB_PASSWORD" \
  CORS_ORIGINS="http://localhost:$WEB_PORT,http://127.0.0.1:$WEB_PORT" PORT="$API_PORT" HOST=127.0.0.1 \
  node services/orders-api/dist/main.js >"$STACK_LOG_DIR/orders-api.log" 2>&1 &
pids+=($!)
WEBSOCKET_URL="ws://localhost:$WS_PORT/ws" ORDERS_API_URL="http://localhost:$API_PORT" PORT="$WEB_PORT" HOST=127.0.0.1 \
  node web-client/dist/server/main.js >"$STACK_LOG_DIR/web-client.log" 2>&1 &
pids+=($!)

wait_until websocket-service "$STACK_LOG_DIR/websocket-service.log" curl -fsS "http://127.0.0.1:$WS_PORT/readyz"
wait_until orders-api "$STACK_LOG_DIR/orders-api.log" curl -fsS "http://127.0.0.1:$API_PORT/readyz"
wait_until web-client "$STACK_LOG_DIR/web-client.log" curl -fsS "http://127.0.0.1:$WEB_PORT/healthz"

cat <<EOT

  Orders, live:        http://localhost:$WEB_PORT
  websocket-service:   ws://localhost:$WS_PORT/ws   (health: http://localhost:$WS_PORT/readyz)
  orders API:          http://localhost:$API_PORT/api/orders
  postgres:            psql postgres://postgres:$POSTGRES_PASSWORD@127.0.0.1:$STACK_PG_PORT/$STACK_PG_DB
  logs:                $STACK_LOG_DIR

  Simulate traffic:    npm run simulate -- --rate 5 --duration 60
  Change a row and watch the page:
    psql postgres://postgres:$POSTGRES_PASSWORD@127.0.0.1:$STACK_PG_PORT/$STACK_PG_DB \\
      -c "UPDATE orders SET status = 'shipped' WHERE id = 3"

  Ctrl-C stops the services.
EOT
wait -n "${pids[@]}"
log "a service exited; see $STACK_LOG_DIR"
