import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults for running beside a local websocket-service', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 3000,
      logLevel: 'info',
      websocketUrl: 'ws://localhost:3001/ws',
      ordersApiUrl: 'http://localhost:3002',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes a ws:// or wss:// WEBSOCKET_URL', () => {
    expect(loadConfig({ WEBSOCKET_URL: 'wss://orders.example.com/ws' }).websocketUrl).toBe('wss://orders.example.com/ws');
    expect(loadConfig({ WEBSOCKET_URL: 'ws://127.0.0.1:3901/ws' }).websocketUrl).toBe('ws://127.0.0.1:3901/ws');
  });

  it('takes an http:// or https:// ORDERS_API_URL', () => {
    expect(loadConfig({ ORDERS_API_URL: 'https://api.example.com' }).ordersApiUrl).toBe('https://api.example.com');
    expect(loadConfig({ ORDERS_API_URL: 'http://127.0.0.1:3902' }).ordersApiUrl).toBe('http://127.0.0.1:3902');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ ORDERS_API_URL: 'ws://localhost:3002' })).toThrow(/ORDERS_API_URL/);
    expect(() => loadConfig({ ORDERS_API_URL: 'localhost:3002' })).toThrow(/ORDERS_API_URL/);
    expect(() => loadConfig({ ORDERS_API_URL: '' })).toThrow(/ORDERS_API_URL/);
    expect(() => loadConfig({ WEBSOCKET_URL: 'http://localhost:3001/ws' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEBSOCKET_URL: 'http://localhost:3001/ws' })).toThrow(/WEBSOCKET_URL/);
    expect(() => loadConfig({ WEBSOCKET_URL: 'not a url' })).toThrow(/WEBSOCKET_URL/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
