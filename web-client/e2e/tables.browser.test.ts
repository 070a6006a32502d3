/**
 * Any streamed table on the page: order_lines (a composite key) and customers (a uuid key) show,
 * follow SQL inserts, updates and deletes, are read-only (no create form, no row buttons), and the
 * picker switches between them and orders, the choice kept in the URL; customers' tier chips filter.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const live = (page: Page) => expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');

test('order_lines and customers show and follow SQL changes; the picker switches tables', async ({ page, db }, testInfo) => {
  const stamp = Date.now();
  const { rows: orders } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ($1, 'Tea set', 1, 30.00) RETURNING id`,
    [`Tables ${stamp}`],
  );
  const orderId = orders[0]!.id;

  // order_lines: its rows are named by their composite key (order_id/line_no).
  await page.goto('/?table=order_lines');
  await live(page);
  await expect(page.getByTestId('table-picker')).toHaveValue('order_lines');
  await expect(page.getByTestId('create-panel')).toBeHidden();
  await expect(page.getByTestId('read-only-note')).toBeVisible();
  await expect(page.getByTestId('orders-table').locator('th.actions-header')).toHaveCount(0);

  // Sorted by order_id, newest first: a line of the newest order is at the top.
  await db.query(`INSERT INTO order_lines (order_id, line_no, product_name, quantity, unit_price) VALUES ($1, 1, 'Teapot', 1, 20.00)`, [
    orderId,
  ]);
  const line = page.locator(`tr[data-row-id="${orderId}/1"]`);
  await expect(line).toBeVisible();
  await expect(line.locator('[data-column="product_name"]')).toHaveText('Teapot');
  await expect(line.locator('button')).toHaveCount(0);
  await db.query(`UPDATE order_lines SET quantity = 4 WHERE order_id = $1 AND line_no = 1`, [orderId]);
  await expect(line.locator('[data-column="quantity"]')).toContainText('4');
  // The activity log names the line by its key, and its link shows the row.
  await expect(page.getByTestId('activity-log').locator(`li[data-order-ids~="${orderId}/1"]`).first()).toHaveAttribute(
    'data-kind',
    'update',
  );
  await db.query(`DELETE FROM order_lines WHERE order_id = $1 AND line_no = 1`, [orderId]);
  await expect(line).toHaveCount(0);

  // The picker: customers, in the URL; a uuid key.
  await page.getByTestId('table-picker').selectOption('customers');
  await expect(page).toHaveURL(/[?&]table=customers(&|$)/);
  await live(page);
  const { rows: customers } = await db.query<{ id: string }>(
    `INSERT INTO customers (name, email, tier) VALUES ($1, $2, 'pro') RETURNING id`,
    [`Ada ${stamp}`, `ada.${stamp}@example.com`],
  );
  const customerId = customers[0]!.id;
  const customer = page.locator(`tr[data-row-id="${customerId}"]`);
  // A uuid sorts anywhere: the search finds it.
  await page.getByTestId('search-text').fill(`Ada ${stamp}`);
  await expect(page).toHaveURL(/[?&]q=Ada/);
  await expect(customer).toBeVisible();
  await expect(customer.locator('[data-column="name"]')).toHaveText(`Ada ${stamp}`);
  await db.query(`UPDATE customers SET tier = 'enterprise' WHERE id = $1`, [customerId]);
  await expect(customer.locator('[data-column="tier"]')).toContainText('enterprise');
  // Counted by its countBy column (tier), not by orders' status chips.
  await expect(page.getByTestId('status-counts')).toBeHidden();
  await expect(page.getByTestId('column-counts').locator('[data-value="enterprise"]')).toHaveAttribute('data-count', '1');
  await page.screenshot({ path: testInfo.outputPath('tables-customers.png'), fullPage: true });

  // Opened from the URL, the same view.
  await page.reload();
  await live(page);
  await expect(page.getByTestId('table-picker')).toHaveValue('customers');
  await expect(customer).toBeVisible();
  await db.query(`DELETE FROM customers WHERE id = $1`, [customerId]);
  await expect(customer).toHaveCount(0);

  // Back to orders: the table parameter and the customers' search go (orders has no name column), the form is back.
  await page.getByTestId('table-picker').selectOption('orders');
  await expect(page).not.toHaveURL(/table=|q=/);
  await live(page);
  await expect(page.getByTestId('create-panel')).toBeVisible();
  await expect(page.locator(`tr[data-order-id="${orderId}"]`)).toBeVisible();
  await db.query('DELETE FROM orders WHERE id = $1', [orderId]);
});

test("customers' tier chips filter: only the tier pressed shows, kept in the URL and across a reload", async ({ page, db }) => {
  const stamp = Date.now();
  const name = (tier: string) => `Chips ${stamp} ${tier}`;
  const { rows } = await db.query<{ id: string; tier: string }>(
    `INSERT INTO customers (name, email, tier) VALUES ($1, $2, 'pro'), ($3, $4, 'free') RETURNING id, tier`,
    [name('pro'), `chips.pro.${stamp}@example.com`, name('free'), `chips.free.${stamp}@example.com`],
  );
  const idOf = (tier: string) => rows.find((row) => row.tier === tier)!.id;
  const proRow = page.locator(`tr[data-row-id="${idOf('pro')}"]`);
  const freeRow = page.locator(`tr[data-row-id="${idOf('free')}"]`);
  const chips = page.getByTestId('column-counts');
  const chip = (tier: string) => chips.locator(`button[data-value="${tier}"]`);
  const tiersOnScreen = () => page.locator('tbody td[data-column="tier"]').allTextContents();

  await page.goto('/?table=customers');
  await live(page);
  await expect(chip('pro')).toHaveAttribute('aria-pressed', 'false');
  await expect(chips).toHaveAttribute('aria-label', 'Show only rows with these values of tier');

  // Pressed: the window holds pro customers only (its total is the chip's count), the URL says so.
  await chip('pro').click();
  await expect(chip('pro')).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/[?&]chip=pro(&|$)/);
  const proCount = await chip('pro').getAttribute('data-count');
  await expect(page.getByTestId('row-count')).toHaveAttribute('data-total', proCount!);
  await expect.poll(async () => [...new Set((await tiersOnScreen()).map((text) => text.trim()))]).toEqual(['pro']);
  // The counts ignore the chips: free still counts its customers.
  await expect(chip('free')).not.toHaveAttribute('data-count', '0');
  await expect(chip('free')).toHaveAttribute('aria-pressed', 'false');

  // With a search for the two new customers: the pro one shows, the free one does not.
  await page.getByTestId('search-text').fill(`Chips ${stamp}`);
  await expect(page).toHaveURL(/[?&]q=Chips/);
  await expect(proRow).toBeVisible();
  await expect(freeRow).toHaveCount(0);

  // A reload keeps the chip pressed and the filter on.
  await page.reload();
  await live(page);
  await expect(page).toHaveURL(/[?&]chip=pro(&|$)/);
  await expect(chip('pro')).toHaveAttribute('aria-pressed', 'true');
  await expect(proRow).toBeVisible();
  await expect(freeRow).toHaveCount(0);

  // Unpressed: every tier again.
  await chip('pro').click();
  await expect(chip('pro')).toHaveAttribute('aria-pressed', 'false');
  await expect(page).not.toHaveURL(/chip=/);
  await expect(freeRow).toBeVisible();
  await expect(proRow).toBeVisible();

  // A table switch drops the chips.
  await chip('pro').click();
  await expect(page).toHaveURL(/[?&]chip=pro(&|$)/);
  await page.getByTestId('table-picker').selectOption('order_lines');
  await expect(page).toHaveURL(/[?&]table=order_lines(&|$)/);
  await expect(page).not.toHaveURL(/chip=/);
  await db.query('DELETE FROM customers WHERE id = ANY($1::uuid[])', [rows.map((row) => row.id)]);
});
