// Over 300 lines: one scenario: each DDL in turn with clients connected, then a poison record, on one table.
/**
 * Schema changes and undecodable records on the real components: with clients connected and changes
 * flowing, each DDL in turn; after each, every change arrives exactly once and the view equals the
 * database, new columns exactly typed; a replica started afterwards builds the same view from the
 * topic; a poison record put on the topic by hand opens a gap that /readyz and /metrics report, the
 * stream passes it, and the row's next change closes it. The table is put back as it was at the end.
 */
import type pg from 'pg';
import WebSocket from 'ws';
import { Kafka, logLevel } from 'kafkajs';
import {
  PROTOCOL_SUBPROTOCOL,
  applyWindowOps,
  compareCursors,
  type DegradedReport,
  type OrderRow,
  type WindowOp,
  type WindowQuery,
} from '@orders-live/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoToMicros, metricValue, stackEndpoints, superuserPool, waitFor } from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';
import type { Column } from '../table/column-set.js';

const stack = stackEndpoints();
let service: RunningApp;
let db: pg.Pool;

/**
 * A protocol v2 client that keeps every frame as plain JSON, so the test sees exactly what the
 * service sends for new columns. A table subscription, or with `window` a window subscription.
 */
class RawClient {
  readonly rows = new Map<number, Record<string, unknown>>();
  /** A window subscription's rows, in the window's order. */
  windowRows: Record<string, unknown>[] = [];
  readonly cursors: string[] = [];
  readonly changesById = new Map<number, number>();
  readonly frames: string[] = [];
  /** Every columns frame received, in order. */
  readonly columnsFrames: { columns: Column[]; cursor: string }[] = [];
  /** Every stream-status frame's report, in order. */
  readonly streamStatus: (DegradedReport | null)[] = [];
  snapshotDone = false;
  /** A columns frame came: the next snapshot replaces every row. */
  #replacing = false;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(data.toString());
      const frame = JSON.parse(data.toString()) as {
        type: string;
        rows?: Record<string, unknown>[];
        done?: boolean;
        changes?: { op: string; key: { id: number }; row: Record<string, unknown> | null; cursor: string }[];
        columns?: Column[];
        cursor?: string;
        degraded?: DegradedReport | null;
        ops?: WindowOp[];
      };
      if (frame.type === 'columns') {
        this.columnsFrames.push({ columns: frame.columns!, cursor: frame.cursor! });
        this.#replacing = true;
      } else if (frame.type === 'stream-status') {
        this.streamStatus.push(frame.degraded ?? null);
      } else if (frame.type === 'window') {
        this.windowRows = frame.rows ?? [];
        this.snapshotDone = true;
      } else if (frame.type === 'diff') {
        this.windowRows = applyWindowOps(
          this.windowRows as unknown as OrderRow[],
          frame.ops!,
          (row) => row['id'] as number,
        ) as unknown as Record<string, unknown>[];
      } else if (frame.type === 'snapshot') {
        if (this.#replacing) this.rows.clear();
        this.#replacing = false;
        for (const row of frame.rows ?? []) this.rows.set(row['id'] as number, row);
        if (frame.done) this.snapshotDone = true;
      } else if (frame.type === 'transaction') {
        for (const change of frame.changes ?? []) {
          const id = change.key.id;
          this.cursors.push(change.cursor);
          this.changesById.set(id, (this.changesById.get(id) ?? 0) + 1);
          if (change.op === 'delete' || change.op === 'leave') this.rows.delete(id);
          else this.rows.set(id, change.row!);
        }
      }
    });
  }
  static async connect(url: string, window?: WindowQuery): Promise<RawClient> {
    const socket = new WebSocket(url, PROTOCOL_SUBPROTOCOL);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const client = new RawClient(socket);
    socket.send(JSON.stringify({ type: 'subscribe', id: 'orders', table: 'orders', ...(window ? { window } : {}) }));
    await waitFor('the snapshot', () => client.snapshotDone);
    return client;
  }
  close(): void {
    this.socket.close();
  }
}

/** SQL that yields a column in its wire form, by kind (see column-set.ts). */
function wireSql(column: Column): string {
  const c = `"${column.name}"`;
  switch (column.kind) {
    case 'int':
    case 'bigint':
      return `${c}::text`;
    case 'timestamptz':
      return `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    case 'timestamp':
      return `to_char(${c}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
    case 'date':
      return `to_char(${c}, 'YYYY-MM-DD')`;
    case 'bytes':
      return `encode(${c}, 'base64')`;
    case 'boolean':
      return c;
    default:
      return `${c}::text`;
  }
}

/** Comparable form of a value of a column: instants to µs, integers to numbers. */
function normal(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.kind === 'int' || column.kind === 'bigint') return Number(value);
  if (column.kind === 'timestamptz') return isoToMicros(String(value));
  return value;
}

async function databaseRows(columns: readonly Column[]): Promise<Map<number, Record<string, unknown>>> {
  const result = await db.query(`SELECT ${columns.map((c) => `${wireSql(c)} AS "${c.name}"`).join(', ')} FROM orders ORDER BY orders.id`);
  return new Map(
    result.rows.map((raw: Record<string, unknown>) => [
      Number(raw['id']),
      Object.fromEntries(columns.map((c) => [c.name, normal(c, raw[c.name])])),
    ]),
  );
}

function comparableRows(columns: readonly Column[], rows: Iterable<Record<string, unknown>>): Map<number, Record<string, unknown>> {
  const out = new Map<number, Record<string, unknown>>();
  for (const row of rows) {
    // Exactly the table's columns, no more: a dropped column must be gone from the row too.
    out.set(
      Number(row['id']),
      Object.fromEntries(
        Object.keys(row).map((name) => [
          name,
          normal(columns.find((c) => c.name === name) ?? { name, kind: 'text', sourceType: null, nullable: true }, row[name]),
        ]),
      ),
    );
  }
  return out;
}

/** Keeps committing: a new row, then updates of it, one statement at a time; counts what it committed. */
class Writer {
  readonly committed = new Map<number, number>();
  statements = 0;
  #running = true;
  #paused: { resume: Promise<void>; release: () => void; reached: () => void } | undefined;
  readonly #done: Promise<void>;
  constructor() {
    this.#done = this.#loop();
  }
  /** Resolves once the writer stands between two statements; it stays there until resume(). */
  async pause(): Promise<void> {
    let release!: () => void;
    let reached!: () => void;
    const resume = new Promise<void>((resolve) => (release = resolve));
    const stood = new Promise<void>((resolve) => (reached = resolve));
    this.#paused = { resume, release, reached };
    await stood;
  }
  resume(): void {
    const paused = this.#paused;
    this.#paused = undefined;
    paused?.release();
  }
  async #gate(): Promise<void> {
    const paused = this.#paused;
    if (paused) {
      paused.reached();
      await paused.resume;
    }
  }
  async #loop(): Promise<void> {
    while (this.#running) {
      await this.#gate();
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ('Schema writer', 'Flow', 1, 1.00) RETURNING id`,
      );
      const id = Number(rows[0]!.id);
      this.committed.set(id, 1);
      this.statements += 1;
      for (let i = 0; i < 3 && this.#running; i += 1) {
        await this.#gate();
        await db.query('UPDATE orders SET quantity = quantity + 1 WHERE id = $1', [id]);
        this.committed.set(id, this.committed.get(id)! + 1);
        this.statements += 1;
      }
    }
  }
  /** Resolves once the writer has committed `count` more statements. */
  async progress(count: number): Promise<void> {
    const target = this.statements + count;
    await waitFor(`${count} more writes`, () => this.statements >= target);
  }
  async stop(): Promise<void> {
    this.#running = false;
    this.resume();
    await this.#done;
  }
}

/** Waits until a row committed now is in the view and at every client: everything before it is too. */
async function fence(clients: readonly RawClient[], app: RunningApp = service): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ('Schema fence', 'Post', 1, 1) RETURNING id`,
  );
  const id = Number(rows[0]!.id);
  await waitFor(
    'the fence in the view and at every client',
    () =>
      app.app.view.get(id) !== undefined && clients.every((c) => c.rows.has(id) || c.windowRows.some((row) => Number(row['id']) === id)),
  );
}

async function expectViewEqualsDatabase(clients: readonly RawClient[], app: RunningApp = service): Promise<void> {
  const columns = app.app.view.catalog.columns.columns;
  const expected = await databaseRows(columns);
  expect(comparableRows(columns, app.app.view.rows() as unknown as Record<string, unknown>[])).toEqual(expected);
  // Every client was told the table's columns and holds exactly the database's rows in them.
  for (const client of clients) {
    expect(client.columnsFrames.at(-1)?.columns).toEqual(columns);
    if (client === windowClient) {
      // The window (the last WINDOW.limit rows by id) equals the database's, row for row.
      const top = [...expected.values()].sort((a, b) => Number(b['id']) - Number(a['id'])).slice(0, WINDOW.limit);
      expect([...comparableRows(columns, client.windowRows).values()]).toEqual(top);
      continue;
    }
    expect(comparableRows(columns, client.rows.values())).toEqual(expected);
  }
}

/** What the window client watches: the newest rows, as a page would. */
const WINDOW: WindowQuery = { orderBy: { column: 'id', direction: 'desc' }, limit: 50 };
let windowClient: RawClient | undefined;

const DDLS: readonly { readonly ddl: string; readonly then: string; readonly check: (columns: readonly Column[]) => void }[] = [
  {
    ddl: `ALTER TABLE orders ADD COLUMN note varchar(200)`,
    then: `UPDATE orders SET note = 'noted ' || id WHERE id = (SELECT min(id) FROM orders WHERE customer_name <> 'Schema writer')`,
    check: (cols) => expect(cols.find((c) => c.name === 'note')).toMatchObject({ kind: 'text', sourceType: 'VARCHAR', nullable: true }),
  },
  {
    ddl: `ALTER TABLE orders ALTER COLUMN note TYPE text`,
    then: `UPDATE orders SET note = 'as text' WHERE id = (SELECT max(id) FROM orders WHERE customer_name <> 'Schema writer')`,
    check: (cols) => expect(cols.find((c) => c.name === 'note')).toMatchObject({ kind: 'text', sourceType: 'TEXT' }),
  },
  {
    ddl: `ALTER TABLE orders ALTER COLUMN quantity TYPE bigint`,
    then: `UPDATE orders SET quantity = 9007199254740991 WHERE id = (SELECT min(id) FROM orders WHERE customer_name <> 'Schema writer')`,
    check: (cols) => expect(cols.find((c) => c.name === 'quantity')).toMatchObject({ kind: 'bigint', sourceType: 'INT8' }),
  },
  {
    ddl: `ALTER TABLE orders ADD COLUMN priority integer NOT NULL DEFAULT 3`,
    then: `UPDATE orders SET priority = 1 WHERE id = (SELECT max(id) FROM orders WHERE customer_name <> 'Schema writer')`,
    check: (cols) => expect(cols.find((c) => c.name === 'priority')).toMatchObject({ kind: 'int', nullable: false, defaultValue: 3 }),
  },
  {
    // One implicit transaction, the table locked first: the writer cannot slip a null in between.
    ddl: `LOCK TABLE orders IN ACCESS EXCLUSIVE MODE; UPDATE orders SET note = coalesce(note, '') RETURNING id::text AS id; ALTER TABLE orders ALTER COLUMN note SET DEFAULT '', ALTER COLUMN note SET NOT NULL`,
    then: `UPDATE orders SET note = 'required' WHERE id = (SELECT max(id) FROM orders WHERE customer_name <> 'Schema writer')`,
    check: (cols) => expect(cols.find((c) => c.name === 'note')).toMatchObject({ nullable: false }),
  },
  {
    ddl: `ALTER TABLE orders RENAME COLUMN note TO memo`,
    then: `UPDATE orders SET memo = 'renamed' WHERE id = (SELECT max(id) FROM orders WHERE customer_name <> 'Schema writer')`,
    check: (cols) => expect(cols.map((c) => c.name)).toEqual(expect.arrayContaining(['memo'])),
  },
  {
    ddl: `ALTER TABLE orders ADD COLUMN paid boolean, ADD COLUMN meta jsonb, ADD COLUMN due date, ADD COLUMN seen_at timestamp, ADD COLUMN price numeric(10,3), ADD COLUMN ref uuid, ADD COLUMN blob bytea`,
    then: `UPDATE orders SET paid = true, meta = '{"n": 12345678901234567890}', due = '2026-12-01', seen_at = '2026-12-01 10:11:12.345678', price = '-1234567.891', ref = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', blob = '\\x00ff' WHERE id = (SELECT max(id) FROM orders WHERE customer_name <> 'Schema writer')`,
    check: (cols) =>
      expect(Object.fromEntries(cols.map((c) => [c.name, c.kind]))).toMatchObject({
        paid: 'boolean',
        meta: 'json',
        due: 'date',
        seen_at: 'timestamp',
        price: 'decimal',
        ref: 'uuid',
        blob: 'bytes',
      }),
  },
  {
    ddl: `ALTER TABLE orders DROP COLUMN memo`,
    then: `UPDATE orders SET priority = 2 WHERE id = (SELECT max(id) FROM orders WHERE customer_name <> 'Schema writer')`,
    check: (cols) => expect(cols.map((c) => c.name)).not.toContain('memo'),
  },
];

const RESTORE = [
  `ALTER TABLE orders DROP COLUMN IF EXISTS note, DROP COLUMN IF EXISTS memo, DROP COLUMN IF EXISTS priority, DROP COLUMN IF EXISTS paid, DROP COLUMN IF EXISTS meta, DROP COLUMN IF EXISTS due, DROP COLUMN IF EXISTS seen_at, DROP COLUMN IF EXISTS price, DROP COLUMN IF EXISTS ref, DROP COLUMN IF EXISTS blob`,
  `UPDATE orders SET quantity = 1 WHERE quantity > 2147483647`,
  `ALTER TABLE orders ALTER COLUMN quantity TYPE integer`,
  `DROP TABLE IF EXISTS public.schema_test_other`,
  `ALTER TABLE public.orders ENABLE TRIGGER orders_touch_updated_at`,
];

beforeAll(async () => {
  db = superuserPool(stack);
  for (const sql of RESTORE) await db.query(sql);
  service = await startApp(stack, { SERVER_ID: 'schema-change-test' });
});

afterAll(async () => {
  for (const sql of RESTORE) await db?.query(sql).catch(() => undefined);
  // A write under the original columns, so every later reader of the topic ends there.
  await db?.query(`UPDATE orders SET quantity = quantity WHERE id = (SELECT min(id) FROM orders)`).catch(() => undefined);
  await service?.close();
  await db?.end();
});

describe('a schema change on orders', () => {
  it('never stops the stream: after each DDL every change arrives once and the view equals the database', async () => {
    // Gaps other tests left in the shared topic (records under keys no row has) stay open; none may open here.
    const gapsBefore = service.app.degraded.openGaps;
    const tableClients = await Promise.all([1, 2].map(() => RawClient.connect(service.wsUrl)));
    windowClient = await RawClient.connect(service.wsUrl, WINDOW);
    const clients = [...tableClients, windowClient];
    const writer = new Writer();
    const bulkUpdates = new Map<number, number>();
    // Columns frames each client had before the DDL: one at subscribe, then at least one per DDL.
    const columnsFramesBefore = new Map(clients.map((client) => [client, client.columnsFrames.length] as const));
    for (const count of columnsFramesBefore.values()) expect(count).toBe(1);
    try {
      for (const step of DDLS) {
        await writer.progress(3);
        const results = [(await db.query(step.ddl)) as unknown].flat() as pg.QueryResult[];
        // A DDL step that rewrites every row is a change of each of them, writer's rows included.
        for (const result of results) {
          if (result.command !== 'UPDATE') continue;
          for (const row of result.rows as { id: string }[]) bulkUpdates.set(Number(row.id), (bulkUpdates.get(Number(row.id)) ?? 0) + 1);
        }
        await db.query(step.then);
        await writer.progress(3);
        // Changes flowed through the DDL; to compare with the database, hold the writer still.
        await writer.pause();
        await fence(clients);
        step.check(service.app.view.catalog.columns.columns);
        // Each DDL reached every client as a columns frame (the last one the view's columns), sent at
        // the position the view changed columns. (Usually one per DDL; more when Debezium describes a
        // column afresh a little later, e.g. once it has read a new default from the catalog.)
        for (const client of clients) {
          const seen = client.columnsFrames.map((f) => [
            f.cursor,
            f.columns.map((c) => `${c.name}:${c.kind}:${c.sourceType}:${c.nullable}:${JSON.stringify(c.defaultValue)}`).join(' '),
          ]);
          expect(client.columnsFrames.length, `after ${step.ddl}: ${JSON.stringify(seen)}`).toBeGreaterThan(
            columnsFramesBefore.get(client)!,
          );
          expect(compareCursors(client.columnsFrames.at(-1)!.cursor, service.app.view.catalog.cursor)).toBeLessThan(0);
          columnsFramesBefore.set(client, client.columnsFrames.length);
        }
        await expectViewEqualsDatabase(clients);
        writer.resume();
      }
    } finally {
      await writer.stop();
    }
    await fence(tableClients);
    await expectViewEqualsDatabase(tableClients);
    expect(service.app.degraded.openGaps).toBe(gapsBefore);
    windowClient.close();
    windowClient = undefined;
    for (const client of tableClients) {
      // Exactly once: no cursor twice, and every statement the writer committed is one change.
      expect(new Set(client.cursors).size).toBe(client.cursors.length);
      for (const [id, count] of writer.committed) expect(client.changesById.get(id)).toBe(count + (bulkUpdates.get(id) ?? 0));
      client.close();
    }
    expect(writer.statements).toBeGreaterThanOrEqual(6 * DDLS.length);

    // A replica started after the DDLs builds the same view from the topic alone.
    const replica = await startApp(stack, { SERVER_ID: 'schema-change-replica' });
    try {
      await fence([], replica);
      await fence([], service);
      expect(replica.app.view.catalog.columns).toEqual(service.app.view.catalog.columns);
      expect(replica.app.view.rows()).toEqual(service.app.view.rows());
      await expectViewEqualsDatabase([], replica);
    } finally {
      await replica.close();
    }
  });

  it('DDL on another table and Debezium heartbeats change nothing', async () => {
    await fence([]);
    const gapsBefore = service.app.degraded.openGaps;
    const before = service.app.view.catalog.columns;
    const applied = await metricValue(service.httpUrl, 'orders_records_applied_total');
    const decodeErrors = await metricValue(service.httpUrl, 'orders_decode_errors_total');
    await db.query('CREATE TABLE public.schema_test_other (id int PRIMARY KEY)');
    await db.query('ALTER TABLE public.schema_test_other ADD COLUMN note text');
    await db.query('INSERT INTO public.schema_test_other VALUES (1, $1)', ['x']);
    await fence([]);
    expect(service.app.view.catalog.columns).toBe(before);
    // The fence is the only record that arrived (heartbeats go to their own topic).
    expect(await metricValue(service.httpUrl, 'orders_records_applied_total')).toBe(applied + 1);
    expect(await metricValue(service.httpUrl, 'orders_decode_errors_total')).toBe(decodeErrors);
    expect(service.app.degraded.openGaps).toBe(gapsBefore);
  });

  it('an update of only an added column reaches a window subscriber as a change naming that column', async () => {
    // A user's own table often has no trigger stamping updated_at: then the added column is all that changes.
    const table = await RawClient.connect(service.wsUrl);
    const watcher = await RawClient.connect(service.wsUrl, WINDOW);
    try {
      await db.query(`ALTER TABLE orders ADD COLUMN note text`);
      await db.query(`ALTER TABLE public.orders DISABLE TRIGGER orders_touch_updated_at`);
      // The fence is the first record under the new columns: the view and both clients follow the DDL.
      await fence([table, watcher]);
      expect(watcher.columnsFrames.at(-1)?.columns.map((c) => c.name)).toContain('note');
      const id = Number(watcher.windowRows[1]!['id']);
      const framesBefore = { table: table.frames.length, watcher: watcher.frames.length };
      await db.query(`UPDATE orders SET note = 'only the note' WHERE id = $1`, [id]);
      const change = await waitFor('a diff changing the row at the window subscriber', () =>
        watcher.frames
          .slice(framesBefore.watcher)
          .map((text) => JSON.parse(text) as { type: string; ops?: WindowOp[] })
          .flatMap((frame) => (frame.type === 'diff' ? frame.ops! : []))
          .find((op) => op.op === 'change' && op.row.id === id),
      );
      expect(change).toMatchObject({ op: 'change', changed: ['note'], row: { id, note: 'only the note' } });
      expect(watcher.windowRows.find((row) => Number(row['id']) === id)?.['note']).toBe('only the note');
      // The table subscriber's change names the same column: one list, the view's.
      const tableChange = await waitFor('the change at the table subscriber', () =>
        table.frames
          .slice(framesBefore.table)
          .map((text) => JSON.parse(text) as { type: string; changes?: { key: { id: number }; changed: string[] }[] })
          .flatMap((frame) => (frame.type === 'transaction' ? frame.changes! : []))
          .find((c) => c.key.id === id),
      );
      expect(tableChange.changed).toEqual(['note']);
    } finally {
      table.close();
      watcher.close();
      // Put the table back for the tests that follow, and let the view follow it there.
      await db.query(`ALTER TABLE public.orders ENABLE TRIGGER orders_touch_updated_at`);
      await db.query(`ALTER TABLE orders DROP COLUMN IF EXISTS note`);
      await fence([]);
    }
  });
});

describe('a record that does not decode', () => {
  it('is passed with a gap the service reports until the row is written again', async () => {
    const clients = [await RawClient.connect(service.wsUrl)];
    const { rows } = await db.query<{ id: string }>(`SELECT min(id)::text AS id FROM orders`);
    let poisonOffset: string;
    const id = Number(rows[0]!.id);
    const kafka = new Kafka({ clientId: 'poison-test', brokers: [...stack.kafkaBrokers], logLevel: logLevel.NOTHING });
    const decodeErrors = await metricValue(service.httpUrl, 'orders_decode_errors_total');
    const gapsBefore = service.app.degraded.openGaps;
    const producer = kafka.producer();
    await producer.connect();
    try {
      const [sent] = await producer.send({
        topic: stack.topic,
        messages: [{ key: JSON.stringify({ id }), value: '{"schema":{"type":"struct"},"payload":{"op":"u"' }],
      });
      poisonOffset = sent!.baseOffset!;
    } finally {
      await producer.disconnect();
    }
    const readyz = async () =>
      (await fetch(`${service.httpUrl}/readyz`)).json() as Promise<{ ready: boolean; degraded: DegradedReport | null }>;
    const mine = (report: Awaited<ReturnType<typeof readyz>>['degraded']) => report?.gaps.find((g) => g.row === `id=${id}`);
    // Gaps other tests left may be open already: wait for this one.
    const degraded = await waitFor('readyz to report the gap', async () => {
      const report = (await readyz()).degraded;
      return mine(report) ? report : undefined;
    });
    expect(degraded).toMatchObject({ code: 'STREAM_GAP', openGaps: gapsBefore + 1 });
    expect(mine(degraded)).toMatchObject({ row: `id=${id}`, code: 'DBZ_NOT_JSON', offset: poisonOffset });
    expect(await metricValue(service.httpUrl, 'orders_stream_degraded')).toBe(1);
    expect(await metricValue(service.httpUrl, 'orders_stream_open_gaps')).toBe(gapsBefore + 1);
    expect(await metricValue(service.httpUrl, 'orders_decode_errors_total')).toBe(decodeErrors + 1);
    // The connected client was told, with the gap's row and position.
    const told = await waitFor('the client to be told of the gap', () =>
      clients[0]!.streamStatus.find((report) => mine(report) !== undefined),
    );
    expect(told).toMatchObject({ code: 'STREAM_GAP', openGaps: gapsBefore + 1 });
    expect(mine(told)).toMatchObject({ code: 'DBZ_NOT_JSON', offset: poisonOffset, partition: 0 });

    // Passed, not stopped at: later changes still flow to the view and the clients.
    await fence(clients);
    expect(mine((await readyz()).degraded)).toBeDefined();

    // The row's next change (a corrected record) closes the gap.
    await db.query('UPDATE orders SET quantity = 2 WHERE id = $1', [id]);
    await waitFor('the gap to close', async () => mine((await readyz()).degraded) === undefined);
    expect(service.app.degraded.openGaps).toBe(gapsBefore);
    expect(await metricValue(service.httpUrl, 'orders_stream_degraded')).toBe(gapsBefore > 0 ? 1 : 0);
    // …and the client hears that it closed (null when no other gap is open).
    await waitFor(
      'the client to hear the gap closed',
      () => clients[0]!.streamStatus.length > 0 && mine(clients[0]!.streamStatus.at(-1)!) === undefined,
    );
    expect(clients[0]!.streamStatus.at(-1)?.openGaps ?? 0).toBe(gapsBefore);
    await fence(clients);
    await expectViewEqualsDatabase(clients);
    clients[0]!.close();

    // A replica rebuilding from the topic passes the poison the same way and ends healthy.
    const replica = await startApp(stack, { SERVER_ID: 'poison-replica' });
    try {
      const report = (await (await fetch(`${replica.httpUrl}/readyz`)).json()) as Awaited<ReturnType<typeof readyz>>;
      expect(mine(report.degraded)).toBeUndefined();
      expect(replica.app.degraded.openGaps).toBe(gapsBefore);
      // It met every poison record still in the topic (this one included) and closed each gap.
      expect(await metricValue(replica.httpUrl, 'orders_decode_errors_total')).toBeGreaterThanOrEqual(1);
    } finally {
      await replica.close();
    }
  });
});
