/**
 * The workflow a user follows on the native stack: log into Adminer (Debian's 4.8, served by
 * stack/adminer.sh) as orders_editor, insert an order with its "New item" form, edit it through
 * "Select data" → "edit" → Save, delete it from the same form — and the live page shows each change,
 * through Postgres → Debezium → Kafka → websocket-service.
 */
import type { Page } from '@playwright/test';
import { ordersEditorPassword, selectOrders, stackEndpoints } from '@orders-live/testkit';
import { expect, test } from './fixtures.js';
import { ADMINER_PORT } from './ports.js';

const stack = stackEndpoints();
const adminer = `http://127.0.0.1:${ADMINER_PORT}/`;
const server = `${stack.postgres.host}:${stack.postgres.port}`;
/** Adminer's URL for a page of the orders table, once logged in. */
const adminerPage = (params: Record<string, string>): string =>
  `${adminer}?${new URLSearchParams({ pgsql: server, username: 'orders_editor', db: stack.postgres.database, ns: 'public', ...params })}`;

/** After a Save or Delete, Adminer shows a .message (done) or an .error (the statement failed): wait for one, show the error's text. */
async function expectAdminerDone(adminerTab: Page, message: RegExp): Promise<void> {
  await expect(adminerTab.locator('.message, .error').first()).toBeVisible();
  expect(await adminerTab.locator('.error').allTextContents()).toEqual([]);
  await expect(adminerTab.locator('.message').first()).toHaveText(message);
}

test('rows inserted, edited and deleted in Adminer appear, change and disappear on the live page', async ({ page, context, db }) => {
  // Nothing in this test may leave the machine (Adminer's pages link to adminer.org).
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
  await page.goto('/');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');

  const tab = await context.newPage();
  await tab.goto(adminer);
  await tab.locator('select[name="auth[driver]"]').selectOption('pgsql');
  await tab.locator('input[name="auth[server]"]').fill(server);
  await tab.locator('input[name="auth[username]"]').fill('orders_editor');
  await tab.locator('input[name="auth[password]"]').fill(ordersEditorPassword());
  await tab.locator('input[name="auth[db]"]').fill(stack.postgres.database);
  await tab.locator('input[type="submit"][value="Login"]').click();
  await expect(tab.locator('input[type="submit"][value="Logout"]')).toBeVisible();
  expect(await tab.locator('.error').allTextContents()).toEqual([]);

  // Insert: "New item" on orders; id stays empty (the identity draws it).
  const customer = `Adminer ${Date.now()}`;
  await tab.goto(adminerPage({ edit: 'orders' }));
  await tab.locator('[name="fields[customer_name]"]').fill(customer);
  await tab.locator('[name="fields[product_name]"]').fill('Desk lamp');
  await tab.locator('[name="fields[quantity]"]').fill('2');
  await tab.locator('[name="fields[amount]"]').fill('39.90');
  await tab.locator('input[type="submit"][value="Save"]').click();
  await expectAdminerDone(tab, /Item.* has been inserted/);
  const inserted = await selectOrders(db, 'customer_name = $1', [customer]);
  expect(inserted).toHaveLength(1);
  const id = inserted[0]!.id;
  const row = page.locator(`tr[data-order-id="${id}"]`);
  await expect(row.locator('[data-column="customer_name"]')).toHaveText(customer);
  await expect(row.locator('[data-column="quantity"]')).toHaveText('2');
  await expect(row.locator('[data-column="amount"]')).toHaveText('39.90');
  await expect(row.locator('[data-column="status"]')).toHaveText('pending');

  // Edit: "Select data", the row's "edit" link, change quantity and status, Save. Adminer 4.8 sends
  // every column back, id included, which the schema accepts as long as it is unchanged.
  await tab.goto(adminerPage({ select: 'orders', 'where[0][col]': 'id', 'where[0][op]': '=', 'where[0][val]': String(id) }));
  await tab.locator(`a[href*="edit=orders"][href*="where%5Bid%5D=${id}"]`).first().click();
  await expect(tab.locator('[name="fields[id]"]')).toHaveValue(String(id));
  await tab.locator('[name="fields[quantity]"]').fill('5');
  await tab.locator('[name="fields[status]"]').fill('shipped');
  await tab.locator('input[type="submit"][value="Save"]').click();
  await expectAdminerDone(tab, /Item has been updated/);
  await expect(row.locator('[data-column="quantity"]')).toHaveText('5');
  await expect(row.locator('[data-column="status"]')).toHaveText('shipped');
  expect((await selectOrders(db, 'id = $1', [id]))[0]).toMatchObject({ quantity: 5, status: 'shipped', customer_name: customer });

  // Delete: the edit form's Delete button (Adminer asks to confirm).
  await tab.goto(adminerPage({ edit: 'orders', 'where[id]': String(id) }));
  tab.once('dialog', (dialog) => void dialog.accept());
  await tab.locator('input[type="submit"][value="Delete"]').click();
  await expectAdminerDone(tab, /Item has been deleted/);
  await expect(row).toHaveCount(0);
  expect(await selectOrders(db, 'id = $1', [id])).toEqual([]);
  // The page still holds exactly the table.
  await expect(page.getByTestId('row-count')).toHaveAttribute('data-total', String((await selectOrders(db)).length));
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
});
