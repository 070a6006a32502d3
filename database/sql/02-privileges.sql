-- Least privilege for the Debezium role (created, with its password, by the bootstrap step that
-- runs before this file): it may log in, open a logical replication slot, and read orders. Nothing else.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO debezium;
GRANT SELECT ON public.orders TO debezium;
