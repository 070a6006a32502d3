#!/bin/sh
# First-start initialisation of the orders database, shared by both stacks:
#   - compose: the postgres image runs this from /docker-entrypoint-initdb.d (only when the data
#     directory is empty), connected as POSTGRES_USER through its local socket;
#   - native:  stack/postgres.sh runs it once after initdb, with PGHOST/PGPORT/PGUSER set.
# Roles first (as the superuser), then the schema, privileges and seed rows as the table's owner,
# so the table and the publication belong to orders_owner and never to the superuser.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dbname=${POSTGRES_DB:-shop}
: "${ORDERS_OWNER_PASSWORD:?ORDERS_OWNER_PASSWORD must be set}"
: "${DEBEZIUM_DB_PASSWORD:?DEBEZIUM_DB_PASSWORD must be set}"
: "${ORDERS_API_DB_PASSWORD:?ORDERS_API_DB_PASSWORD must be set}"
: "${ORDERS_EDITOR_DB_PASSWORD:?ORDERS_EDITOR_DB_PASSWORD must be set}"

run_psql() {
  psql --no-psqlrc -v ON_ERROR_STOP=1 --quiet --dbname "$dbname" "$@"
}

run_psql -v dbname="$dbname" \
  -v orders_owner_password="$ORDERS_OWNER_PASSWORD" \
  -v debezium_password="$DEBEZIUM_DB_PASSWORD" \
  -v orders_api_password="$ORDERS_API_DB_PASSWORD" \
  -v orders_editor_password="$ORDERS_EDITOR_DB_PASSWORD" \
  -f "$here/sql/00-roles.sql"

run_psql --single-transaction -c 'SET ROLE orders_owner' \
  -f "$here/sql/01-schema.sql" \
  -f "$here/sql/02-privileges.sql" \
  -f "$here/sql/03-seed.sql"
