/// <reference lib="dom" />
/**
 * bench:page — the page in a real browser (Playwright driving Debian's Chromium) on a large table,
 * against the issue's targets:
 *
 *   load      page load → first rows on screen (and the most DOM elements at any frame)
 *   sort      a header click → the re-sorted first rows on screen
 *   filter    a status chip → the filtered first rows on screen
 *   scroll    scrollTop to the middle → the rows there on screen (no placeholder left)
 *   tx        one N-row transaction: the longest long task while it applies, and its last change on
 *             screen after the service sent it (the diff frames' sentAt, docs/protocol.md); with
 *             --profile also the tasks' thread time from the trace (trace-tasks.ts): on a machine
 *             whose cores are busy with other work, a task's wall time is mostly waiting for one
 *
 * `--table order_lines` opens the table with a composite key (order_id, line_no) instead: the rows
 * are order lines, four to a benchmark order; it has no status chips, so no filter is measured.
 *
 * The page before this one subscribed to the whole table; it is not in the tree any more (and needs
 * the whole table in the browser), so there is no same-run baseline: bench/README.md sets these
 * figures next to the ones recorded for it on 2026-12-01.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type pg from 'pg';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { INTERACTION_TIMEOUT_MS, instrument, rowsShown, timeUntil } from './page-probes.js';
import { mainThreadTasks, type TaskTimes } from './trace-tasks.js';
import { Cleanup, REPO_ROOT, chromiumLaunchOptions, ensureStack, freePort, startNodeProcess, superuserPool } from '@orders-live/testkit';
import { num, str, type Options } from '@orders-live/cli-kit';
import {
  benchMarker,
  deleteBenchRows,
  deleteLeftoverBenchRows,
  insertBenchLines,
  insertBenchRows,
  insertBenchRowsInChunks,
  newRunId,
} from '../harness/bench-rows.js';
import { RESULT_OPTIONS, machine, type Machine } from '../harness/results.js';
import { startServiceHoldingTable } from '../harness/service-process.js';
import { sleep } from '../harness/clock.js';

/** The tables bench:page can open: orders (a bigint key) and order_lines (a composite key). */
const PAGE_TABLES = ['orders', 'order_lines'] as const;
type PageTable = (typeof PAGE_TABLES)[number];

/** Per table: the column a header click sorts by, and the search that narrows the page to the run's rows. */
const TABLE_PAGE: Record<PageTable, { readonly sortColumn: string; readonly search: (marker: string) => string }> = {
  orders: { sortColumn: 'amount', search: (marker) => `?q=${encodeURIComponent(marker)}&in=customer&match=prefix` },
  order_lines: {
    sortColumn: 'unit_price',
    search: (marker) => `?table=order_lines&q=${encodeURIComponent(marker)}&in=product_name&match=prefix`,
  },
};

export const PAGE_OPTIONS = {
  rows: num(1_000_000, 'rows in the table', 1),
  table: str('orders', `the table to open: ${PAGE_TABLES.join(' or ')} (a composite key)`),
  txRows: num(10_000, 'rows of the one transaction measured (0: skip)', 0),
  repeat: num(3, 'times each interaction is measured (the median is reported)', 1),
  profile: str('', "write the page's CPU profile during the transaction to this .cpuprofile path"),
  ...RESULT_OPTIONS,
};
export type PageOptions = Options<typeof PAGE_OPTIONS>;

/** Time for the service to read the whole table from the topic, generously. */
const CATCH_UP_TIMEOUT_MS = 900_000;
/** The web-client answers /healthz within this, even on a loaded machine. */
const WEB_READY_TIMEOUT_MS = 30_000;
const WEB_MAIN = `${REPO_ROOT}web-client/dist/server/main.js`;

export interface PageResult {
  readonly benchmark: 'page';
  readonly startedAt: string;
  readonly machine: Machine;
  /** `profile` is the file's name only: where it was written is the machine's business. */
  readonly options: Omit<PageOptions, 'outDir' | 'json'>;
  /** No filter is measured on a table without status chips (order_lines). */
  readonly targets: {
    readonly firstRowsMs: number;
    readonly domElements: number;
    readonly longTaskMs: number;
    readonly txOnScreenMs: number;
    readonly reRenderMs: number;
    readonly scrollMs: number;
  };
  readonly loadMs: readonly number[];
  readonly maxDomElements: number;
  readonly sortMs: readonly number[];
  readonly filterMs: readonly number[];
  readonly scrollMs: readonly number[];
  readonly transaction: {
    readonly rows: number;
    readonly longestTaskMs: number;
    readonly lastChangeAfterSentMs: number;
    readonly frames: number;
    /** From the trace (with --profile), else null. */
    readonly tasks: TaskTimes | null;
  } | null;
}

export const PAGE_TARGETS = {
  firstRowsMs: 1_500,
  domElements: 5_000,
  longTaskMs: 100,
  txOnScreenMs: 1_000,
  reRenderMs: 200,
  scrollMs: 300,
};

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** The web-client, serving the page against the service's WebSocket (writes go nowhere: the benchmark only reads). */
async function startWebClient(websocketUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startNodeProcess({
    name: 'the web-client',
    main: WEB_MAIN,
    env: { PORT: String(port), HOST: '127.0.0.1', WEBSOCKET_URL: websocketUrl, ORDERS_API_URL: 'http://127.0.0.1:9', LOG_LEVEL: 'warn' },
    readyUrl: `${url}/healthz`,
    readyTimeoutMs: WEB_READY_TIMEOUT_MS,
  });
  return { url, stop: () => child.stop() };
}

/** The page open in Chromium, over the benchmark's rows, ready to be measured. */
interface PageUnderTest {
  readonly db: pg.Pool;
  readonly marker: string;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The page's address, narrowed to the marker's rows. */
  readonly pageUrl: string;
  readonly table: PageTable;
}

export async function runPage(options: PageOptions, cleanup: Cleanup, log: (line: string) => void): Promise<PageResult> {
  const startedAt = new Date().toISOString();
  const underTest = await setUpPage(options, cleanup, log);
  const { page } = underTest;
  const loadMs = await measureLoad(underTest, options, log);
  const { sortMs, filterMs, scrollMs } = await measureInteractions(page, underTest.table, options, log);
  const transaction = options.txRows > 0 ? await measureTransaction(underTest, options, log) : null;
  const maxDomElements = await page.evaluate(() => (window as unknown as { __bench: { maxDom: number } }).__bench.maxDom);

  return {
    benchmark: 'page',
    startedAt,
    machine: machine(),
    options: {
      rows: options.rows,
      table: underTest.table,
      txRows: options.txRows,
      repeat: options.repeat,
      profile: basename(options.profile),
    },
    targets: PAGE_TARGETS,
    loadMs,
    maxDomElements,
    sortMs,
    filterMs,
    scrollMs,
    transaction,
  };
}

/** Set-up: the rows, the service holding them, the web-client, and Chromium with the page's probes. */
async function setUpPage(options: PageOptions, cleanup: Cleanup, log: (line: string) => void): Promise<PageUnderTest> {
  const stack = await ensureStack();
  const db = superuserPool(stack);
  cleanup.add('close the database pool', () => db.end());
  const leftovers = await deleteLeftoverBenchRows(db);
  if (leftovers > 0) log(`deleted ${leftovers} rows left by an earlier run`);
  if (!(PAGE_TABLES as readonly string[]).includes(options.table)) throw new Error(`--table: one of ${PAGE_TABLES.join(', ')}`);
  const table = options.table as PageTable;
  const marker = benchMarker(newRunId());
  cleanup.add('delete the benchmark rows', async () =>
    log(`deleted ${await deleteBenchRows(db, marker)} benchmark orders (and their lines)`),
  );
  log(`inserting ${options.rows} rows of ${table}…`);
  if (table === 'orders') await insertBenchRowsInChunks(db, marker, options.rows);
  else await insertBenchLines(db, marker, options.rows);

  // Ready once it has read the topic as it was at start; then it must hold the whole table.
  const { service, tableRows } = await startServiceHoldingTable(stack, db, cleanup, CATCH_UP_TIMEOUT_MS, { table });
  log(`  service ready; ${tableRows} rows in the view`);
  const web = await startWebClient(service.wsUrl);
  cleanup.add('stop the web-client', () => web.stop());

  const browser = await chromium.launch(chromiumLaunchOptions());
  cleanup.add('close Chromium', () => browser.close());
  // bypassCSP: the page's CSP forbids eval, which the benchmark's own string expressions need (the page's code is unaffected).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  // Only the marker's rows: the page's search box, as a user would narrow it.
  return { db, marker, browser, context, page, pageUrl: `${web.url}/${TABLE_PAGE[table].search(marker)}`, table };
}

/** Page load → first rows on screen, `repeat` times. */
async function measureLoad({ page, pageUrl }: PageUnderTest, options: PageOptions, log: (line: string) => void): Promise<number[]> {
  const loadMs: number[] = [];
  for (let i = 0; i < options.repeat; i++) {
    const started = Date.now();
    await page.goto(pageUrl, { waitUntil: 'commit' });
    await page.waitForFunction(rowsShown(), undefined, { timeout: INTERACTION_TIMEOUT_MS, polling: 'raf' });
    loadMs.push(Date.now() - started);
  }
  log(`  load → first rows: ${loadMs.map(Math.round).join(', ')} ms`);
  return loadMs;
}

/** A sort, a filter and a scroll to the middle, each → its rows on screen, `repeat` times. */
async function measureInteractions(
  page: Page,
  table: PageTable,
  options: PageOptions,
  log: (line: string) => void,
): Promise<{ sortMs: number[]; filterMs: number[]; scrollMs: number[] }> {
  const sortMs: number[] = [];
  const filterMs: number[] = [];
  const scrollMs: number[] = [];
  for (let i = 0; i < options.repeat; i++) {
    // Each click flips the sort, so each measures a new order from the server.
    const sortColumn = TABLE_PAGE[table].sortColumn;
    sortMs.push(await timeUntil(page, `document.querySelector('th[data-sort-column="${sortColumn}"] button').click()`, rowsShown()));
    if (table === 'orders') {
      filterMs.push(
        await timeUntil(page, `document.querySelector('[data-testid="status-counts"] [data-status="pending"]').click()`, rowsShown()),
      );
      await timeUntil(page, `document.querySelector('[data-testid="status-counts"] [data-status="pending"]').click()`, rowsShown());
    }
    const middle = Math.floor(options.rows / 2) - 100 * i;
    scrollMs.push(
      await timeUntil(
        page,
        `const s = document.querySelector('[data-testid="table-scroll"]'); s.scrollTop = s.scrollHeight * ${middle / options.rows}`,
        rowsShown(Math.floor(middle * 0.98)),
      ),
    );
    await timeUntil(page, `document.querySelector('[data-testid="table-scroll"]').scrollTop = 0`, rowsShown());
  }
  log(
    `  sort ${sortMs.map(Math.round).join(', ')} ms · filter ${filterMs.length > 0 ? `${filterMs.map(Math.round).join(', ')} ms` : 'n/a (no status chips)'} · scroll to the middle ${scrollMs.map(Math.round).join(', ')} ms`,
  );
  return { sortMs, filterMs, scrollMs };
}

/** One `txRows`-row transaction: the longest long task while it applies, its last change on screen after sent; with --profile the trace's tasks. */
async function measureTransaction(
  { db, marker, browser, context, page, pageUrl, table }: PageUnderTest,
  options: PageOptions,
  log: (line: string) => void,
): Promise<NonNullable<PageResult['transaction']>> {
  // Newest first, so the transaction's rows enter the window on screen.
  await page.goto(pageUrl);
  await page.waitForFunction(rowsShown(), undefined, { timeout: INTERACTION_TIMEOUT_MS, polling: 'raf' });
  const sent: number[] = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameReceived', ({ response }) => {
    const text = response.payloadData;
    if (!text.startsWith(`{"type":"diff","id":"orders","table":"${table}"`)) return;
    const at = /"sentAt":(\d+)/.exec(text);
    if (at) sent.push(Number(at[1]));
  });
  const before = Number(await page.getByTestId('row-count').getAttribute('data-total'));
  await page.evaluate((target) => {
    const bench = (window as unknown as { __bench: { longest: number; since: number; shownAt?: number } }).__bench;
    bench.longest = 0;
    bench.since = performance.now();
    const count = document.querySelector('[data-testid="row-count"]')!;
    new MutationObserver(() => {
      if (Number(count.getAttribute('data-total')) >= target && bench.shownAt === undefined) bench.shownAt = Date.now();
    }).observe(count, { attributes: true, attributeFilter: ['data-total'] });
  }, before + options.txRows);
  if (options.profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  }
  if (table === 'orders') await insertBenchRows(db, marker, options.txRows);
  else await inOneTransaction(db, (client) => insertBenchLines(client, marker, options.txRows, options.txRows));
  await page.waitForFunction(() => (window as unknown as { __bench: { shownAt?: number } }).__bench.shownAt !== undefined, undefined, {
    timeout: INTERACTION_TIMEOUT_MS,
  });
  await sleep(500); // long tasks are reported after they end: let the last one come in
  let tasks: TaskTimes | null = null;
  if (options.profile) {
    writeFileSync(options.profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const trace = await browser.stopTracing();
    writeFileSync(options.profile.replace(/\.cpuprofile$/, '') + '.trace.json', trace);
    tasks = mainThreadTasks(JSON.parse(trace.toString('utf8')) as Parameters<typeof mainThreadTasks>[0]) ?? null;
  }
  const bench = await page.evaluate(() => (window as unknown as { __bench: { longest: number; shownAt: number } }).__bench);
  const transaction = {
    rows: options.txRows,
    longestTaskMs: bench.longest,
    lastChangeAfterSentMs: bench.shownAt - Math.max(...sent),
    frames: sent.length,
    tasks,
  };
  log(
    `  ${options.txRows}-row transaction: longest task ${Math.round(bench.longest)} ms, on screen ${Math.round(transaction.lastChangeAfterSentMs)} ms after sent (${sent.length} frames)`,
  );
  if (tasks)
    log(
      `  its tasks in the trace: longest ${Math.round(tasks.longestWallMs)} ms wall, ${Math.round(tasks.longestWallCpuMs)} ms of it CPU; most CPU in a task ${Math.round(tasks.mostCpuMs)} ms; ${tasks.longTasks} over 50 ms wall, ${tasks.longCpuTasks} over 50 ms CPU`,
    );
  return transaction;
}

/** Runs `work` in one transaction of its own connection: the lines and their orders commit together. */
async function inOneTransaction(db: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

export function formatPage(result: PageResult): string {
  const t = result.targets;
  const row = (name: string, value: number, target: number, unit = 'ms') => [
    name,
    `${Math.round(value)} ${unit}`,
    `≤ ${target} ${unit}`,
    value <= target ? 'met' : 'NOT met',
  ];
  const rows = [
    ['measure', 'median', 'target', ''],
    row(`load → first rows (${result.options.rows} rows of ${result.options.table})`, median(result.loadMs), t.firstRowsMs),
    row('most DOM elements at any frame', result.maxDomElements, t.domElements, ''),
    row('sort change re-rendered', median(result.sortMs), t.reRenderMs),
    ...(result.filterMs.length > 0 ? [row('filter change re-rendered', median(result.filterMs), t.reRenderMs)] : []),
    row('scroll to the middle', median(result.scrollMs), t.scrollMs),
    ...(result.transaction
      ? [
          row(`${result.transaction.rows}-row transaction: longest task`, result.transaction.longestTaskMs, t.longTaskMs),
          row('  its last change on screen after sent', result.transaction.lastChangeAfterSentMs, t.txOnScreenMs),
          ...(result.transaction.tasks
            ? [row('  most CPU (thread time) in one of its tasks', result.transaction.tasks.mostCpuMs, t.longTaskMs)]
            : []),
        ]
      : []),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => String(cell).padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export { median };
