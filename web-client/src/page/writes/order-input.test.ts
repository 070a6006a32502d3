import { describe, expect, it } from 'vitest';
import { fieldOfPath, validateOrderForm } from './order-input.js';

const good = { customer_name: ' Ada Lovelace ', product_name: 'Fountain pen', quantity: '2', amount: '45.75' };

describe('validateOrderForm', () => {
  it('turns good input into the body the API takes: trimmed names, an integer quantity, the amount as a string', () => {
    expect(validateOrderForm(good)).toEqual({
      ok: true,
      draft: { customer_name: 'Ada Lovelace', product_name: 'Fountain pen', quantity: 2, amount: '45.75' },
    });
    expect(validateOrderForm({ ...good, amount: '1234567890' })).toMatchObject({ ok: true, draft: { amount: '1234567890' } });
    expect(validateOrderForm({ ...good, amount: '0.5' })).toMatchObject({ ok: true });
  });

  it('explains every wrong field at once', () => {
    expect(validateOrderForm({ customer_name: '  ', product_name: 'x'.repeat(201), quantity: '0', amount: '12.345' })).toEqual({
      ok: false,
      errors: {
        customer_name: 'Required.',
        product_name: 'At most 200 characters; this has 201.',
        quantity: 'A whole number, 1 or more.',
        amount: 'An amount such as 19.90 (at most 2 decimals).',
      },
    });
  });

  it('refuses quantities that are not positive integers, and amounts the column cannot hold', () => {
    for (const quantity of ['', '1.5', '-1', 'two', '1e3', '2147483648']) {
      expect(validateOrderForm({ ...good, quantity }).ok, quantity).toBe(false);
    }
    for (const amount of ['', '-1', '1,50', '12345678901', '.5', '1.', 'NaN']) {
      expect(validateOrderForm({ ...good, amount }).ok, amount).toBe(false);
    }
  });
});

describe('fieldOfPath', () => {
  it('finds the form field an API error names', () => {
    expect(fieldOfPath('amount')).toBe('amount');
    expect(fieldOfPath('body.quantity')).toBe('quantity');
    expect(fieldOfPath('/body/customer_name')).toBe('customer_name');
    expect(fieldOfPath('status')).toBeUndefined();
    expect(fieldOfPath('')).toBeUndefined();
  });
});

describe('validateOrderForm and the REST contract', () => {
  it('counts a name in characters as the API and Postgres do (code points), not UTF-16 units', () => {
    const emoji = '\u{1F600}';
    expect(validateOrderForm({ ...good, customer_name: emoji.repeat(200) })).toMatchObject({ ok: true });
    expect(validateOrderForm({ ...good, customer_name: emoji.repeat(201) })).toEqual({
      ok: false,
      errors: { customer_name: 'At most 200 characters; this has 201.' },
    });
  });

  it('refuses what only the contract checks, in the contract’s words', () => {
    expect(validateOrderForm({ ...good, product_name: 'pen\u0000' })).toEqual({
      ok: false,
      errors: { product_name: 'Must not contain the NUL character (Postgres text cannot hold it).' },
    });
  });
});
