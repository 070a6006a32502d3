-- The orders table and everything the change stream needs from the database.
-- Run once, at first start, by the table's owner (orders_owner): the compose Postgres image runs it
-- from /docker-entrypoint-initdb.d through 00-roles.sh, the native stack through stack/postgres.sh.

CREATE TABLE public.orders (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_name text          NOT NULL CHECK (length(customer_name) BETWEEN 1 AND 200),
    product_name  text          NOT NULL CHECK (length(product_name) BETWEEN 1 AND 200),
    status        text          NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'shipped', 'delivered')),
    quantity      integer       NOT NULL CHECK (quantity > 0),
    amount        numeric(12,2) NOT NULL CHECK (amount >= 0),
    created_at    timestamptz   NOT NULL DEFAULT now(),
    updated_at    timestamptz   NOT NULL DEFAULT now()
);

-- updated_at is the database's business, not the writer's: every UPDATE stamps it.
CREATE FUNCTION public.orders_touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := clock_timestamp();
    RETURN NEW;
END;
$$;

CREATE TRIGGER orders_touch_updated_at
    BEFORE UPDATE ON public.orders
    FOR EACH ROW EXECUTE FUNCTION public.orders_touch_updated_at();

-- TRUNCATE is refused. Debezium's truncate event has no key, and a compacted topic (the topic is the
-- table) rejects keyless records, which would fail the connector; a truncate that did reach the stream
-- would also leave every replica's view and every client to guess. Delete rows instead: each delete is
-- a keyed change every client sees. (The connector also keeps skipped.operations=t.)
CREATE FUNCTION public.orders_refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'TRUNCATE on orders is not allowed: the live change stream cannot carry it; use DELETE'
        USING ERRCODE = 'feature_not_supported';
END;
$$;

CREATE TRIGGER orders_refuse_truncate
    BEFORE TRUNCATE ON public.orders
    FOR EACH STATEMENT EXECUTE FUNCTION public.orders_refuse_truncate();

-- Updates and deletes carry the whole old row in the WAL, so every change event has `before`.
ALTER TABLE public.orders REPLICA IDENTITY FULL;

-- The connector runs with publication.autocreate.mode=disabled: the owner publishes the one table,
-- so the replication role never needs CREATE on the database or ownership of the table.
CREATE PUBLICATION orders_publication FOR TABLE public.orders;
