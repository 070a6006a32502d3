// Records change events from the native stack before and after each DDL, into src/fixtures/schema/.
// By hand, on a fresh native stack (it alters orders, then puts it back):
//   STACK_PG_PORT=… STACK_KAFKA_PORT=… node scripts/record-schema-fixtures.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import kafkajs from 'kafkajs';
import pg from 'pg';
const { Kafka, logLevel } = kafkajs;
const out = new URL('../src/ingest/fixtures/schema/', import.meta.url);
mkdirSync(out, { recursive: true });
const db = new pg.Client({
  host: '127.0.0.1',
  port: Number(process.env.STACK_PG_PORT),
  database: 'shop',
  user: 'postgres',
  password: process.env.POSTGRES_PASSWORD ?? 'postgres',
});
await db.connect();
const kafka = new Kafka({ clientId: 'fixtures', brokers: [`127.0.0.1:${process.env.STACK_KAFKA_PORT}`], logLevel: logLevel.ERROR });
const admin = kafka.admin();
await admin.connect();
const topic = 'orders.public.orders';
async function end() {
  return Number((await admin.fetchTopicOffsets(topic))[0].high);
}
async function readFrom(offset, count) {
  const consumer = kafka.consumer({ groupId: `fx-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic });
  const got = [];
  await new Promise((resolve) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        if (Number(message.offset) >= offset) got.push(message);
        if (got.length >= count) resolve();
      },
    });
    consumer.seek({ topic, partition: 0, offset: String(offset) });
  });
  await consumer.disconnect();
  return got;
}
const stackNote = 'Debezium 3.4.3.Final, Postgres 15, Kafka 4.1.1 (native stack), value.converter.schemas.enable=true';
async function settle(sql) {
  const from = await end();
  const result = await db.query(sql);
  while ((await end()) < from + result.rowCount) await new Promise((r) => setTimeout(r, 100));
}
async function record(name, description, sql, count = 1, pick = -1) {
  const from = await end();
  for (const s of [].concat(sql)) await db.query(s);
  const [m] = (await readFrom(from, count)).slice(pick).slice(0, 1);
  writeFileSync(
    new URL(`${name}.json`, out),
    JSON.stringify(
      {
        _recorded: `${stackNote}; topic ${topic} offset ${m.offset}; ${description}`,
        key: m.key?.toString() ?? null,
        value: m.value?.toString() ?? null,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(name, m.offset, m.value?.length);
}
const {
  rows: [{ id }],
} = await db.query(
  `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ('Fixture Schema', 'Gadget ''S''', 3, '12.50') RETURNING id`,
);
await record('01-update-before-ddl', 'an update under the original columns', `UPDATE orders SET quantity = 4 WHERE id = ${id}`);
await record('02-add-varchar', 'after ALTER TABLE orders ADD COLUMN note varchar(200); the update sets it', [
  `ALTER TABLE orders ADD COLUMN note varchar(200)`,
  `UPDATE orders SET note = 'first note' WHERE id = ${id}`,
]);
await record('03-varchar-to-text', 'after ALTER COLUMN note TYPE text', [
  `ALTER TABLE orders ALTER COLUMN note TYPE text`,
  `UPDATE orders SET note = 'as text' WHERE id = ${id}`,
]);
await record('04-integer-to-bigint', 'after ALTER COLUMN quantity TYPE bigint', [
  `ALTER TABLE orders ALTER COLUMN quantity TYPE bigint`,
  `UPDATE orders SET quantity = 5 WHERE id = ${id}`,
]);
await record('05-add-with-default', 'after ADD COLUMN priority integer NOT NULL DEFAULT 3', [
  `ALTER TABLE orders ADD COLUMN priority integer NOT NULL DEFAULT 3`,
  `UPDATE orders SET quantity = 6 WHERE id = ${id}`,
]);
await record(
  '06-set-not-null',
  'after UPDATE … SET note, ALTER COLUMN note SET NOT NULL',
  (await settle(`UPDATE orders SET note = coalesce(note, '')`),
  [`ALTER TABLE orders ALTER COLUMN note SET NOT NULL`, `UPDATE orders SET note = 'not null now' WHERE id = ${id}`]),
);
await record('07-rename', 'after RENAME COLUMN note TO memo', [
  `ALTER TABLE orders RENAME COLUMN note TO memo`,
  `UPDATE orders SET memo = 'renamed' WHERE id = ${id}`,
]);
await record('08-drop', 'after DROP COLUMN memo', [
  `ALTER TABLE orders DROP COLUMN memo`,
  `UPDATE orders SET quantity = 7 WHERE id = ${id}`,
]);
await record('09-many-types', 'after adding a column of each type kind; an insert sets them all', [
  `ALTER TABLE orders ADD COLUMN paid boolean, ADD COLUMN meta jsonb, ADD COLUMN ref uuid, ADD COLUMN due date, ADD COLUMN blob bytea, ADD COLUMN seen_at timestamp, ADD COLUMN price numeric(10,3), ADD COLUMN tags text[], ADD COLUMN wait interval, ADD COLUMN at_time time, ADD COLUMN ratio double precision, ADD COLUMN small smallint`,
  `INSERT INTO orders (customer_name, product_name, quantity, amount, paid, meta, ref, due, blob, seen_at, price, tags, wait, at_time, ratio, small) VALUES ('Typed', 'Everything', 1, '0.01', true, '{"a": [1, 2.5, "x"], "big": 12345678901234567890}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2026-12-01', '\\x00ff10', '2026-12-01 10:11:12.345678', '-1234567.891', ARRAY['a','b c',NULL], '1 day 02:03:04.5', '23:59:59.999999', 0.1, -32768)`,
]);
await record('10-delete-after-ddl', 'a delete under the widened columns', `DELETE FROM orders WHERE product_name = 'Everything'`, 2, 0);
// Back to the original shape, so the stack can go on serving the other tests.
await db.query(
  `ALTER TABLE orders DROP COLUMN paid, DROP COLUMN meta, DROP COLUMN ref, DROP COLUMN due, DROP COLUMN blob, DROP COLUMN seen_at, DROP COLUMN price, DROP COLUMN tags, DROP COLUMN wait, DROP COLUMN at_time, DROP COLUMN ratio, DROP COLUMN small, DROP COLUMN priority`,
);
await db.query(`ALTER TABLE orders ALTER COLUMN quantity TYPE integer`);
await record(
  '11-back-to-original',
  'after dropping the added columns and quantity back to integer',
  `UPDATE orders SET quantity = 8 WHERE id = ${id}`,
);
await admin.disconnect();
await db.end();
