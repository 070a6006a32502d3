/**
 * What a person sees: rows changed with SQL (the way Adminer or psql would) appear, change and
 * disappear on the page, in a real Chromium, through the whole pipeline.
 */
import { selectOrders } from '@orders-live/testkit';
import { expect, test } from './fixtures.js';

test('a row inserted, updated and deleted with SQL appears, changes and disappears on the page', async ({ page, db }, testInfo) => {
  await page.goto('/');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');

  const customer = `Browser ${Date.now()}`;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ($1, 'Standing desk', 2, 1234.50) RETURNING id`,
    [customer],
  );
  const id = rows[0]!.id;
  const row = page.locator(`tr[data-order-id="${id}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator('[data-column="customer_name"]')).toHaveText(customer);
  await expect(row.locator('[data-column="product_name"]')).toHaveText('Standing desk');
  await expect(row.locator('[data-column="amount"]')).toHaveText('1234.50');
  await expect(row.locator('[data-column="status"]')).toHaveText('pending');
  // The row arrived, so every commit before it has too (commit order): the count is the table's.
  const rowsNow = await selectOrders(db);
  await expect(page.getByTestId('row-count')).toHaveAttribute('data-total', String(rowsNow.length));

  await db.query(`UPDATE orders SET status = 'shipped', quantity = 3 WHERE id = $1`, [id]);
  await expect(row.locator('[data-column="status"]')).toHaveText('shipped');
  await expect(row.locator('[data-column="quantity"]')).toHaveText('3');
  await page.screenshot({ path: testInfo.outputPath('live-table.png'), fullPage: true });

  await db.query('DELETE FROM orders WHERE id = $1', [id]);
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('row-count')).toHaveAttribute('data-total', String(rowsNow.length - 1));
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
});
