#!/usr/bin/env bash
# `npm start`: the whole system without Docker. Native stack (Postgres, Kafka, Connect + Debezium),
# then the websocket-service, the orders API and the web-client as node processes, and Adminer
# (Debian's, stack/adminer.sh) when PHP and the adminer package are installed. Ctrl-C stops those;
# the stack keeps running (stop it with `npm run stack:down`). Ports: WEB_PORT, WS_PORT, API_PORT,
# ADMINER_PORT (.env or the environment).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source stack/lib.sh

WS_PORT=${WS_PORT:-3001}
WEB_PORT=${WEB_PORT:-3000}
API_PORT=${API_PORT:-3002}
ADMINER_PORT=${ADMINER_PORT:-8081}

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
  node --disable-warning=TimeoutNegativeWarning services/websocket-service/dist/main.js >"$STACK_LOG_DIR/websocket-service.log" 2>&1 &
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

if command -v php >/dev/null && [ -f /usr/share/adminer/adminer.php ]; then
  ADMINER_PORT="$ADMINER_PORT" bash stack/adminer.sh >"$STACK_LOG_DIR/adminer.log" 2>&1 &
  pids+=($!)
  wait_until adminer "$STACK_LOG_DIR/adminer.log" curl -fsS -o /dev/null "http://127.0.0.1:$ADMINER_PORT/"
  adminer_line="http://127.0.0.1:$ADMINER_PORT
                       System: PostgreSQL · Server: 127.0.0.1:$STACK_PG_PORT · Database: $STACK_PG_DB
                       Username: orders_editor · Password: $ORDERS_EDITOR_DB_PASSWORD
                       (a role that edits rows of orders and nothing else)"
else
  adminer_line="not started: apt-get install --no-install-recommends adminer php-cli php-pgsql php-cgi"
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
  logs:                $STACK_LOG_DIR

  Simulate traffic:    npm run simulate -- --rate 5 --duration 60
  Change a row and watch the page:
    $example

  Ctrl-C stops the services.
EOT
wait -n "${pids[@]}"
log "a service exited; see $STACK_LOG_DIR"
