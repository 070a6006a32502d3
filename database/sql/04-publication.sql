-- The change stream's tables, from database/tables.list (init.sh passes them, comma-separated, as
-- the psql variable streamed_tables). Run by their owner, orders_owner, like the schema: only a
-- table's owner may publish it, and the publication is the owner's, so the replication role never
-- needs CREATE on the database or ownership of a table (the connector runs with
-- publication.autocreate.mode=disabled). `npm run tables -- add|remove` does the same on a running system.
-- For the session, not the transaction: the DO block below must see it with or without --single-transaction.
SELECT set_config('orders_live.streamed_tables', :'streamed_tables', false) AS streamed_tables \gset

DO $$
DECLARE
    name  text;
    rel   regclass;
    rels  text[] := ARRAY['public.orders_heartbeat'];
BEGIN
    IF current_setting('orders_live.streamed_tables') = '' THEN
        RAISE EXCEPTION 'no streamed table given (psql -v streamed_tables=schema.table,…)';
    END IF;
    FOREACH name IN ARRAY string_to_array(current_setting('orders_live.streamed_tables'), ',') LOOP
        rel := to_regclass(name);
        IF rel IS NULL THEN
            RAISE EXCEPTION 'database/tables.list names %, which does not exist', name
                USING ERRCODE = 'undefined_table';
        END IF;
        -- The key of every record in the table's (compacted) topic, and of every row on the page.
        IF NOT EXISTS (SELECT 1 FROM pg_index WHERE indrelid = rel AND indisprimary) THEN
            RAISE EXCEPTION 'database/tables.list names %, which has no primary key: a streamed table needs one (its records are keyed by it)', name
                USING ERRCODE = 'invalid_table_definition';
        END IF;
        -- Updates and deletes carry the whole old row in the WAL, so every change event has `before`.
        EXECUTE format('ALTER TABLE %s REPLICA IDENTITY FULL', rel);
        EXECUTE format('GRANT SELECT ON %s TO debezium', rel);
        rels := rels || rel::text;
    END LOOP;
    EXECUTE format('CREATE PUBLICATION orders_publication FOR TABLE %s', array_to_string(rels, ', '));
END;
$$;
