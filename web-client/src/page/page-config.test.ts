import { describe, expect, it } from 'vitest';
import { readPageConfig } from './page-config.js';

const good = { websocketUrl: 'wss://orders.example.com/ws', apiUrl: 'https://api.example.com' };

describe('readPageConfig', () => {
  it('accepts what /config.js sets', () => {
    expect(readPageConfig(good)).toEqual({ ok: true, config: good });
    expect(readPageConfig({ websocketUrl: 'ws://127.0.0.1:3001/ws', apiUrl: 'http://127.0.0.1:3002' })).toMatchObject({ ok: true });
  });

  it('explains a missing or bad config instead of throwing', () => {
    expect(readPageConfig(undefined)).toMatchObject({ ok: false, message: expect.stringMatching(/config\.js/) });
    expect(readPageConfig({ ...good, websocketUrl: 'https://example.com' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/websocketUrl/),
    });
    expect(readPageConfig('ws://x')).toMatchObject({ ok: false });
  });

  it('needs an http(s) apiUrl', () => {
    expect(readPageConfig({ websocketUrl: good.websocketUrl })).toMatchObject({ ok: false, message: expect.stringMatching(/apiUrl/) });
    expect(readPageConfig({ ...good, apiUrl: 'ws://api.example.com' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/apiUrl/),
    });
    expect(readPageConfig({ ...good, apiUrl: 'not a url' })).toMatchObject({ ok: false, message: expect.stringMatching(/apiUrl/) });
  });
});
