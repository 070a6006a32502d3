import { describe, expect, it } from 'vitest';
import { choiceFromSearch, filterForChoice, parseStatusChoice, searchWithChoice } from './status-filter.js';

describe('status filter', () => {
  it('maps a choice to the filter of the subscription', () => {
    expect(filterForChoice('all')).toBeUndefined();
    expect(filterForChoice('shipped')).toEqual({ status: { eq: 'shipped' } });
  });

  it('takes only known choices, anything else is all', () => {
    expect(parseStatusChoice('delivered')).toBe('delivered');
    expect(parseStatusChoice('DELIVERED')).toBe('all');
    expect(parseStatusChoice(null)).toBe('all');
    expect(parseStatusChoice('toString')).toBe('all');
  });

  it('keeps the choice in the query string, beside other parameters', () => {
    expect(choiceFromSearch('?status=pending')).toBe('pending');
    expect(choiceFromSearch('')).toBe('all');
    expect(searchWithChoice('', 'pending')).toBe('?status=pending');
    expect(searchWithChoice('?debug=1&status=pending', 'shipped')).toBe('?debug=1&status=shipped');
    expect(searchWithChoice('?status=pending', 'all')).toBe('');
    expect(searchWithChoice('?debug=1&status=pending', 'all')).toBe('?debug=1');
  });
});
