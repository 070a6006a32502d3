/**
 * The dashboard with two pages open: writes through the page's form and buttons (the orders API)
 * and through SQL reach both pages only through the change stream; a restart of the
 * websocket-service while changes are committed loses nothing.
 */
import type { Page } from '@playwright/test';
import type { OrderRow } from '@orders-live/protocol';
import { rowDifferences, selectOrders } from '@orders-live/testkit';
import { expect, test } from './fixtures.js';

async function openLive(page: Page, search = ''): Promise<void> {
  await page.goto(`/${search}`);
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live');
}

/** The page's rows, read from the DOM cells, in the wire format the database comparison expects. */
async function pageRows(page: Page): Promise<OrderRow[]> {
  return page
    .getByTestId('orders-table')
    .locator('tbody tr.order-row')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const cell = (column: string) => tr.querySelector(`[data-column="${column}"]`);
        const text = (column: string) => cell(column)?.getAttribute('data-value') ?? '';
        const raw = (column: string) => cell(column)?.getAttribute('data-value') ?? '';
        return {
          id: Number(tr.getAttribute('data-order-id')),
          customer_name: text('customer_name'),
          product_name: text('product_name'),
          status: text('status') as OrderRow['status'],
          quantity: Number(text('quantity')),
          amount: text('amount'),
          created_at: raw('created_at'),
          updated_at: raw('updated_at'),
        };
      }),
    );
}

test('an order created in one page appears in the other; SQL updates flash in both; delete removes it', async ({ browser, db }) => {
  const one = await browser.newPage();
  const two = await browser.newPage();
  await openLive(one);
  await openLive(two);

  const customer = `Form ${Date.now()}`;
  const form = one.getByTestId('create-form');
  await form.locator('input[name="customer_name"]').fill(customer);
  await form.locator('input[name="product_name"]').fill('Desk lamp');
  await form.locator('input[name="quantity"]').fill('2');
  await form.locator('input[name="amount"]').fill('79.80');
  await form.getByRole('button', { name: 'Create order' }).click();

  const inTwo = two.locator('tr', { has: two.locator('[data-column="customer_name"]', { hasText: customer }) });
  await expect(inTwo).toHaveCount(1);
  const id = await inTwo.getAttribute('data-order-id');
  const inOne = one.locator(`tr[data-order-id="${id}"]`);
  await expect(inOne.locator('[data-column="amount"]')).toHaveText('79.80');
  await expect(two.getByTestId('activity-log').locator(`li[data-order-ids~="${id}"]`).first()).toHaveAttribute('data-kind', 'insert');

  // The flash lasts 1.5 s; on a loaded machine a few round trips to the browser take longer than
  // that, so each page records whether the cell flashed, instead of the test racing the animation.
  for (const page of [one, two]) {
    await page.evaluate((rowId) => {
      const cell = document.querySelector(`tr[data-order-id="${rowId}"] [data-column="quantity"]`)!;
      const observer = new MutationObserver(() => {
        if (cell.classList.contains('flash-update')) cell.setAttribute('data-flashed', 'yes');
      });
      observer.observe(cell, { attributes: true, attributeFilter: ['class'] });
    }, id);
  }
  await db.query(`UPDATE orders SET quantity = 5 WHERE id = $1`, [id]);
  for (const page of [one, two]) {
    const cell = page.locator(`tr[data-order-id="${id}"] [data-column="quantity"]`);
    // Old → new inline, for a while (no hover needed): "2 → 5".
    await expect(cell).toHaveAttribute('data-value', '5');
    await expect(cell).toHaveAttribute('data-was', '2');
    await expect(cell).toHaveText('2 → 5');
    await expect(cell).toHaveClass(/changed/);
    await expect(cell).toHaveAttribute('data-flashed', 'yes');
  }

  // Advance its status through the API from page two.
  await two.locator(`tr[data-order-id="${id}"] button[data-action="advance"]`).click();
  await expect(inOne.locator('[data-column="status"]')).toHaveAttribute('data-value', 'shipped');

  // Delete asks first: the first press arms it, the second deletes.
  const remove = one.locator(`tr[data-order-id="${id}"] button[data-action="delete"]`);
  await remove.click();
  await expect(remove).toHaveText('Confirm delete');
  expect(await selectOrders(db, 'id = $1', [id])).toHaveLength(1);
  await remove.click();
  await expect(inOne).toHaveCount(0);
  await expect(two.locator(`tr[data-order-id="${id}"]`)).toHaveCount(0);
  expect(await selectOrders(db, 'id = $1', [id])).toEqual([]);

  // Invalid input is refused before it is sent, with a message at the field.
  await form.locator('input[name="amount"]').fill('12.345');
  await form.getByRole('button', { name: 'Create order' }).click();
  await expect(one.locator('[data-field-error="amount"]')).not.toBeEmpty();
  await one.close();
  await two.close();
});

test('a websocket-service restart while changes are committed: reconnecting, then live with every change', async ({
  page,
  db,
  service,
}) => {
  // While not live, the page asks the service's /readyz what is down: the page's policy must let it.
  const readyzRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/readyz') readyzRequests.push(request.url());
  });
  const policyViolations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
  });
  const tag = `Outage ${Date.now()}`;
  await openLive(page, `?q=${encodeURIComponent(tag)}&in=customer&match=prefix`);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount) SELECT $1, 'Outage probe', 1, 1 FROM generate_series(1, 3) RETURNING id`,
    [tag],
  );
  await expect(page.locator(`tr[data-order-id="${rows[2]!.id}"]`)).toBeVisible();

  const states: string[] = [];
  await page.exposeFunction('recordState', (state: string) => states.push(state));
  await page.evaluate(() => {
    const indicator = document.querySelector('[data-testid="connection-state"]')!;
    new MutationObserver(() =>
      (window as unknown as { recordState(s: string): void }).recordState(indicator.getAttribute('data-state')!),
    ).observe(indicator, {
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });

  await service.restart(async () => {
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', /reconnecting|connecting/);
    // Committed while no websocket-service runs: the page must have all of it afterwards.
    await db.query(`UPDATE orders SET status = 'shipped' WHERE customer_name = $1`, [tag]);
    await db.query(`DELETE FROM orders WHERE id = $1`, [rows[0]!.id]);
    await db.query(`INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ($1, 'During the outage', 4, 9.99)`, [tag]);
  });

  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  expect(states).toContain('reconnecting');
  expect(states.at(-1)).toBe('live');
  expect(readyzRequests.length).toBeGreaterThan(0);
  expect(policyViolations).toEqual([]);
  const mine = page.locator('tr', { has: page.locator('[data-column="customer_name"]', { hasText: tag }) });
  await expect(mine.filter({ has: page.locator('[data-column="product_name"]', { hasText: 'During the outage' }) })).toHaveCount(1);
  // The window came afresh (what it missed is the window's latest state), said for a while, then the note goes.
  await expect(page.getByTestId('gap-status')).toHaveAttribute('data-gap', 'reloaded');
  await expect(page.locator(`tr[data-order-id="${rows[0]!.id}"]`)).toHaveCount(0);
  const mineInDb = () => selectOrders(db, 'customer_name = $1', [tag]);
  await expect.poll(async () => rowDifferences(await pageRows(page), await mineInDb()), { timeout: 15_000 }).toEqual([]);
  await expect(page.getByTestId('gap-status')).not.toHaveAttribute('data-gap', /./, { timeout: 20_000 });
  await db.query('DELETE FROM orders WHERE customer_name = $1', [tag]);
});
