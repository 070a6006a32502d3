-- Least privilege (roles and passwords are created by 00-roles.sql):
--   debezium:   log in, open a logical replication slot, read orders. Nothing else.
--   orders_api: read and write rows of orders (and draw ids from its identity). Nothing else.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO debezium;
GRANT SELECT ON public.orders TO debezium;
GRANT USAGE ON SCHEMA public TO orders_api;
GRANT SELECT, INSERT, UPDATE, DELETE ON public.orders TO orders_api;
