/**
 * A column added with SQL (as in Adminer) while the page is open: the stream goes on, the page is
 * told the new columns and says so, and rows keep changing live. The table is put back at the end.
 */
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
