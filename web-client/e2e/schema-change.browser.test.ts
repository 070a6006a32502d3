/**
 * A column added with SQL (as in Adminer) while the page is open: the stream goes on, the page is
 * told the new columns and says so, and rows keep changing live. A record put on the topic by hand
 * that does not decode: the page says the stream has a problem until the row is written again. The
 * table is put back at the end.
 */
import { produceRaw, stackEndpoints } from '@orders-live/testkit';
import { expect, test } from './fixtures.js';

const COLUMN = 'browser_note';

test.afterAll(async ({ db }) => {
  await db.query(`ALTER TABLE orders DROP COLUMN IF EXISTS ${COLUMN}`);
  // A write under the original columns, so every later reader of the topic ends there.
  await db.query(`UPDATE orders SET quantity = quantity WHERE id = (SELECT min(id) FROM orders)`);
});

test('a column added with SQL is shown as new on the page, and rows go on changing live', async ({ page, db, service }) => {
  expect(service.current.port).toBeGreaterThan(0);
  await db.query(`ALTER TABLE orders DROP COLUMN IF EXISTS ${COLUMN}`);
  await page.goto('/');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('table-columns')).toBeHidden();

  await db.query(`ALTER TABLE orders ADD COLUMN ${COLUMN} text`);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount, ${COLUMN}) VALUES ('Schema browser', 'Lamp', 1, 10.00, 'hello') RETURNING id`,
  );
  const id = rows[0]!.id;
  // The first record under the new columns brings them, then the row itself.
  await expect(page.getByTestId('table-columns')).toHaveText(`The table changed — new columns: ${COLUMN} (text).`);
  const row = page.locator(`tr[data-order-id="${id}"]`);
  await expect(row.locator('[data-column="customer_name"]')).toHaveText('Schema browser');
  await db.query(`UPDATE orders SET quantity = 4 WHERE id = $1`, [id]);
  await expect(row.locator('[data-column="quantity"]')).toHaveText('4');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');

  // Dropped again: the page no longer names it.
  await db.query(`ALTER TABLE orders DROP COLUMN ${COLUMN}`);
  await db.query(`UPDATE orders SET quantity = 5 WHERE id = $1`, [id]);
  await expect(page.getByTestId('table-columns')).toBeHidden();
  await expect(row.locator('[data-column="quantity"]')).toHaveText('5');
});

test('a record that does not decode is shown as a stream problem until its row is written again', async ({ page, db, service }) => {
  const readyz = async () => (await (await fetch(`http://127.0.0.1:${service.current.port}/readyz`)).json()) as { degraded: { openGaps: number } | null };
  // Gaps other tests left in the shared topic (under keys no row has) stay open: count from them.
  const gapsBefore = (await readyz()).degraded?.openGaps ?? 0;
  await page.goto('/');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  const { rows } = await db.query<{ id: string }>(`INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ('Poison browser', 'Vase', 1, 3.00) RETURNING id`);
  const id = Number(rows[0]!.id);
  await expect(page.locator(`tr[data-order-id="${id}"]`)).toBeVisible();

  const offset = await produceRaw(stackEndpoints(), JSON.stringify({ id }), '{"schema":{"type":"struct"},"payload":{"op":"u"');
  const problem = page.getByTestId('stream-problem');
  await expect(problem).toBeVisible();
  await expect(problem).toContainText(`Stream problem: ${gapsBefore + 1 === 1 ? '1 change' : `${gapsBefore + 1} changes`} could not be read`);
  if (gapsBefore === 0) await expect(problem).toContainText(`first: id=${id}, DBZ_NOT_JSON at 0:${offset}`);
  // The page stays live: the record was passed, later changes still arrive.
  await db.query(`UPDATE orders SET quantity = 6 WHERE id = $1`, [id]);
  await expect(page.locator(`tr[data-order-id="${id}"] [data-column="quantity"]`)).toHaveText('6');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
  // That write was the row's whole state: the gap closed.
  if (gapsBefore === 0) await expect(problem).toBeHidden();
  else await expect(problem).toContainText(`Stream problem: ${gapsBefore === 1 ? '1 change' : `${gapsBefore} changes`} could not be read`);
});
