import { describe, expect, it } from 'vitest';
import { readPageConfig } from './page-config.js';

describe('readPageConfig', () => {
  it('accepts what /config.js sets', () => {
    expect(readPageConfig({ websocketUrl: 'wss://orders.example.com/ws' })).toEqual({ ok: true, config: { websocketUrl: 'wss://orders.example.com/ws' } });
  });

  it('explains a missing or bad config instead of throwing', () => {
    expect(readPageConfig(undefined)).toMatchObject({ ok: false, message: expect.stringMatching(/config\.js/) });
    expect(readPageConfig({ websocketUrl: 'https://example.com' })).toMatchObject({ ok: false, message: expect.stringMatching(/websocketUrl/) });
    expect(readPageConfig('ws://x')).toMatchObject({ ok: false });
  });
});
