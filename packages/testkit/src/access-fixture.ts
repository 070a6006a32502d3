/** For access-control tests: the secret a service under test verifies tokens with, and two customers unique to this run. */
import type { RowFilter } from '@orders-live/protocol';

export interface AccessFixture {
  /** AUTH_JWT_SECRET for the service; `key` is the same secret as the signing functions take it. */
  readonly secret: string;
  readonly key: Uint8Array;
  /** Customer names no other run or file uses, so a token pinned to one sees only this file's rows. */
  readonly ada: string;
  readonly bob: string;
  /** What Ada's token pins: her rows only. */
  readonly adaFilter: RowFilter;
}

export function accessFixture(label: string, now: number = Date.now()): AccessFixture {
  const secret = `${label}-integration-secret-0123456789`;
  const ada = `${label} Ada ${now}`;
  return { secret, key: new TextEncoder().encode(secret), ada, bob: `${label} Bob ${now}`, adaFilter: { customer_name: { eq: ada } } };
}
