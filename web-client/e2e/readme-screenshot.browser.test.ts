/**
 * README's screenshot (docs/dashboard.png), taken from a clean state: the page at its top (nothing
 * scrolled under the sticky header), the create form untouched (no field errors before any input),
 * and a status change shown whole ("shipped → delivered" fits its column). The picture is saved as
 * an artifact on every run; with UPDATE_README_SCREENSHOT=1 it also replaces docs/dashboard.png.
 */
import { copyFileSync } from 'node:fs';
import { REPO_ROOT } from '@orders-live/testkit';
import { expect, test } from './fixtures.js';

const CUSTOMERS = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra', 'Barbara Liskov'];
const PRODUCTS = ['Desk lamp', 'Office chair', 'Notebook', 'Standing desk', 'USB-C dock'];

test('README screenshot: a clean page, a status change shown whole', async ({ page, db }, testInfo) => {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount, status)
     SELECT ($1::text[])[1 + n % 6], ($2::text[])[1 + n % 5], 1 + n % 4, 12 + n * 3.75,
            (ARRAY['shipped', 'pending', 'delivered'])[1 + n % 3]
     FROM generate_series(1, 30) AS n
     RETURNING id`,
    [CUSTOMERS, PRODUCTS],
  );
  const ids = rows.map((row) => Number(row.id));
  const newest = Math.max(...ids);
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/');
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
    await expect(page.locator(`tr.order-row[data-order-id="${newest}"]`)).toBeVisible();

    // The newest order (n = 30) was inserted shipped.
    await db.query(`UPDATE orders SET status = 'delivered' WHERE id = $1`, [newest]);
    const status = page.locator(`tr.order-row[data-order-id="${newest}"] td[data-column="status"]`);
    await expect(status).toHaveAttribute('data-was', 'shipped');
    await expect(status).toHaveAttribute('data-value', 'delivered');

    // Clean: at the top, no field errors, the change not cut off by its column.
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await expect(page.locator('[data-field-error]:not(:empty)')).toHaveCount(0);
    expect(await status.evaluate((td) => td.scrollWidth <= td.clientWidth)).toBe(true);

    const path = testInfo.outputPath('dashboard.png');
    await page.screenshot({ path });
    if (process.env['UPDATE_README_SCREENSHOT'] === '1') copyFileSync(path, `${REPO_ROOT}docs/dashboard.png`);
  } finally {
    await db.query('DELETE FROM orders WHERE id = ANY($1::bigint[])', [ids]);
  }
});
