-- Least privilege (roles and passwords are created by 00-roles.sql):
--   debezium:   log in, open a logical replication slot, read the streamed tables (granted by
--               04-publication.sql from database/tables.list), stamp the heartbeat row. Nothing else.
--   orders_api, orders_editor: read, update and delete rows of the demo's tables (orders, customers,
--     order_lines), and insert them with every column but a drawn id (orders' identity draws it: an
--     explicit id could later collide with it; customers' uuid is drawn too). Nothing else.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO debezium;
-- The connector's heartbeat.action.query (register-orders-connector.json) stamps the one heartbeat row.
GRANT SELECT, UPDATE (beat_at) ON public.orders_heartbeat TO debezium;
GRANT USAGE ON SCHEMA public TO orders_api, orders_editor;
GRANT SELECT, UPDATE, DELETE ON public.orders TO orders_api, orders_editor;
GRANT INSERT (customer_name, product_name, status, quantity, amount, created_at, updated_at)
    ON public.orders TO orders_api, orders_editor;
GRANT SELECT, UPDATE, DELETE ON public.customers, public.order_lines TO orders_api, orders_editor;
GRANT INSERT (name, email, tier, created_at) ON public.customers TO orders_api, orders_editor;
GRANT INSERT (order_id, line_no, product_name, quantity, unit_price) ON public.order_lines TO orders_api, orders_editor;
