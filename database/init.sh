#!/bin/sh
# First-start initialisation of the orders database, shared by both stacks:
#   - compose: the postgres image runs this from /docker-entrypoint-initdb.d (only when the data
#     directory is empty), connected as POSTGRES_USER through its local socket;
#   - native:  stack/postgres.sh runs it once after initdb, with PGHOST/PGPORT/PGUSER set.
# The list of streamed tables is read and checked first. Then roles (as the superuser), then the
# schema, privileges, seed rows and the publication of the
# tables named in tables.list (beside this script) as the tables' owner, so the tables and the
# publication belong to orders_owner and never to the superuser.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dbname=${POSTGRES_DB:-shop}
: "${ORDERS_OWNER_PASSWORD:?ORDERS_OWNER_PASSWORD must be set}"
: "${DEBEZIUM_DB_PASSWORD:?DEBEZIUM_DB_PASSWORD must be set}"
: "${ORDERS_API_DB_PASSWORD:?ORDERS_API_DB_PASSWORD must be set}"
: "${ORDERS_EDITOR_DB_PASSWORD:?ORDERS_EDITOR_DB_PASSWORD must be set}"

# tables.list: one schema.table a line, '#' comments. Plain lower-case names only, which also keeps
# them safe to pass along; the heartbeat table is always streamed and is not listed.
tables_file=${TABLES_FILE:-$here/tables.list}
[ -r "$tables_file" ] || { echo "init: cannot read $tables_file" >&2; exit 1; }
tables=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$tables_file")
bad=$(printf '%s\n' "$tables" | grep -v -E '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$' || true)
[ -z "$bad" ] || { echo "init: $tables_file: not a schema.table name: $bad" >&2; exit 1; }
[ -n "$tables" ] || { echo "init: $tables_file names no table" >&2; exit 1; }
case " $(printf '%s ' $tables)" in
  *" public.orders_heartbeat "*) echo "init: $tables_file lists public.orders_heartbeat, which is always streamed" >&2; exit 1 ;;
esac
dup=$(printf '%s\n' "$tables" | sort | uniq -d)
[ -z "$dup" ] || { echo "init: $tables_file lists twice: $dup" >&2; exit 1; }

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
  -v streamed_tables="$(printf '%s\n' "$tables" | tr '\n' , | sed 's/,$//')" \
  -f "$here/sql/01-schema.sql" \
  -f "$here/sql/02-privileges.sql" \
  -f "$here/sql/03-seed.sql" \
  -f "$here/sql/04-publication.sql"
