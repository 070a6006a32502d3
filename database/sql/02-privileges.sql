-- Least privilege (roles and passwords are created by 00-roles.sql):
--   debezium:   log in, open a logical replication slot, read orders, stamp the heartbeat row. Nothing else.
--   orders_api, orders_editor: read, update and delete rows of orders, and insert them with every
--     column but id (the identity draws it; an explicit id could later collide with it). Nothing else.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO debezium;
GRANT SELECT ON public.orders TO debezium;
-- The connector's heartbeat.action.query (register-orders-connector.json) stamps the one heartbeat row.
GRANT SELECT, UPDATE (beat_at) ON public.orders_heartbeat TO debezium;
GRANT USAGE ON SCHEMA public TO orders_api, orders_editor;
GRANT SELECT, UPDATE, DELETE ON public.orders TO orders_api, orders_editor;
GRANT INSERT (customer_name, product_name, status, quantity, amount, created_at, updated_at)
    ON public.orders TO orders_api, orders_editor;
