/**
 * What a person sees when a part of the pipeline stops (guarantee 8 of docs/architecture.md): the
 * pill says "live · up to date as of …" while every hop works; within 5 s of Kafka Connect's death it
 * says "stale" and the line beside it names Kafka Connect; a row committed meanwhile is not lost — it
 * appears once Connect is back, marked late in the activity log — and the pill is live again. A live
 * server that stops answering without closing its socket is named too.
 */
import { bringStackUp, killStackComponent, stackEndpoints, waitForConnector } from '@orders-live/testkit';
import { expect, test } from './fixtures.js';

/** Guarantee 8: a stopped hop is named within this long. */
const NAMED_WITHIN_MS = 5_000;
/** Connect back, its task resumed and the change through: a while on a loaded 2-core machine. */
const RECOVERY_TIMEOUT_MS = 120_000;

test('names Kafka Connect within 5 s of its death, and shows what was committed meanwhile once it is back', async ({
  page,
  db,
  service,
}, testInfo) => {
  test.setTimeout(240_000);
  expect(service.current.port).toBeGreaterThan(0);
  const pill = page.getByTestId('connection-state');
  await page.goto('/');
  await expect(pill).toHaveAttribute('data-state', 'live');
  await expect(pill).toHaveText(/^live · up to date as of /);

  const killedAt = Date.now();
  try {
    expect(await killStackComponent('connect')).toBe(true);
    await expect(pill).toHaveAttribute('data-state', 'stale', { timeout: 15_000 });
    const namedAfterMs = Date.now() - killedAt;
    console.log(`Kafka Connect killed → the page said so in ${(namedAfterMs / 1000).toFixed(1)} s`);
    expect(namedAfterMs).toBeLessThanOrEqual(NAMED_WITHIN_MS);
    await expect(pill).toHaveText('stale');
    await expect(page.getByTestId('freshness')).toContainText('Kafka Connect (Debezium) has stopped');
    await expect(page.locator('body')).toHaveAttribute('data-connection', 'stale');
    await page.screenshot({ path: testInfo.outputPath('stale.png') });

    const customer = `Late ${Date.now()}`;
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ($1, 'Written while Connect was down', 1, 1) RETURNING id`,
      [customer],
    );
    const id = rows[0]!.id;
    await bringStackUp();
    await waitForConnector(stackEndpoints().connectUrl);
    await expect(page.locator(`tr[data-order-id="${id}"]`)).toBeVisible({ timeout: RECOVERY_TIMEOUT_MS });
    await expect(page.getByTestId('activity-log').locator(`li[data-order-ids~="${id}"]`).first()).toHaveAttribute('data-late', 'true');
    await expect(pill).toHaveText(/^live · up to date as of /, { timeout: RECOVERY_TIMEOUT_MS });
    await expect(page.getByTestId('freshness')).toBeHidden();
    await db.query('DELETE FROM orders WHERE id = $1', [id]);
  } finally {
    await bringStackUp();
    await waitForConnector(stackEndpoints().connectUrl);
  }
});

test('names the live server when it stops sending while its socket stays open', async ({ page, service }) => {
  const pill = page.getByTestId('connection-state');
  await page.goto('/');
  await expect(pill).toHaveText(/^live · up to date as of /);
  const pid = service.current.pid;
  process.kill(pid, 'SIGSTOP');
  try {
    await expect(pill).toHaveAttribute('data-state', 'stale', { timeout: 10_000 });
    await expect(page.getByTestId('freshness')).toContainText('The live server has stopped');
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await expect(pill).toHaveText(/^live · up to date as of /, { timeout: 30_000 });
});
