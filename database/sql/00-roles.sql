-- Roles, run as the superuser once at first start (psql variables carry the passwords from the
-- environment; nothing secret is written in this repository).
--   orders_owner  owns the orders table and its publication; the schema files run as this role.
--   debezium      the connector's role: LOGIN REPLICATION and SELECT on orders (see 02-privileges.sql).
--                 Not a superuser, cannot create publications, cannot write anything.
--   orders_api    the orders API's role: reads and writes rows of orders, nothing else (no DDL,
--                 no TRUNCATE, no other table).
--   orders_editor the role a person logs into Adminer (or psql) with to edit orders by hand: the same
--                 row privileges as orders_api, with its own password, so the service's credentials
--                 never end up in a browser and neither the owner nor the superuser is needed.
CREATE ROLE orders_owner LOGIN PASSWORD :'orders_owner_password';
CREATE ROLE debezium LOGIN REPLICATION PASSWORD :'debezium_password';
CREATE ROLE orders_api LOGIN PASSWORD :'orders_api_password';
CREATE ROLE orders_editor LOGIN PASSWORD :'orders_editor_password';

REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO orders_owner;
-- CREATE on the database is what CREATE PUBLICATION … FOR TABLE needs (besides owning the table).
GRANT CREATE ON DATABASE :"dbname" TO orders_owner;
GRANT CONNECT ON DATABASE :"dbname" TO debezium;
GRANT CONNECT ON DATABASE :"dbname" TO orders_api;
GRANT CONNECT ON DATABASE :"dbname" TO orders_editor;
GRANT USAGE, CREATE ON SCHEMA public TO orders_owner;
