import { describe, expect, it } from 'vitest';
import { ConfigError } from './parse-env.js';
import { runService, type ServiceProcess } from './run-service.js';

function fakeProcess(env: NodeJS.ProcessEnv = {}) {
  const listeners = new Map<string, (() => void)[]>();
  const proc: ServiceProcess & { stderrText: string; emit(signal: string): void } = {
    env,
    stderrText: '',
    stderr: { write: (text: string) => (proc.stderrText += text) },
    on: (signal, listener) => listeners.set(signal, [...(listeners.get(signal) ?? []), listener]),
    exitCode: undefined,
    emit: (signal) => listeners.get(signal)?.forEach((listener) => listener()),
  };
  return proc;
}

function service(overrides: { close?: () => Promise<void>; loadConfig?: () => { logLevel: string } } = {}) {
  const calls: string[] = [];
  const definition = {
    name: 'test-service',
    loadConfig: overrides.loadConfig ?? (() => ({ logLevel: 'silent' })),
    build: () => ({
      listen: async () => void calls.push('listen'),
      close: overrides.close ?? (async () => void calls.push('close')),
    }),
    describe: () => ({ port: 1 }),
  };
  return { definition, calls };
}

describe('runService', () => {
  it('listens, and closes once on the first SIGTERM or SIGINT', async () => {
    const proc = fakeProcess();
    const { definition, calls } = service();
    await runService(definition, proc);
    expect(calls).toEqual(['listen']);
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    await Promise.resolve();
    expect(calls).toEqual(['listen', 'close']);
    expect(proc.exitCode).toBeUndefined();
  });

  it('exits with 2 and the message on a configuration error, starting nothing', async () => {
    const proc = fakeProcess();
    const { definition, calls } = service({
      loadConfig: () => {
        throw new ConfigError('invalid configuration: PORT: too big');
      },
    });
    await runService(definition, proc);
    expect(proc.exitCode).toBe(2);
    expect(proc.stderrText).toBe('test-service: invalid configuration: PORT: too big\n');
    expect(calls).toEqual([]);
  });

  it('exits with 1 when closing fails, and with 1 and the stack on any other start-up failure', async () => {
    const failingClose = fakeProcess();
    await runService(service({ close: () => Promise.reject(new Error('stuck')) }).definition, failingClose);
    failingClose.emit('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(failingClose.exitCode).toBe(1);

    const crash = fakeProcess();
    await runService(
      service({
        loadConfig: () => {
          throw new Error('boom');
        },
      }).definition,
      crash,
    );
    expect(crash.exitCode).toBe(1);
    expect(crash.stderrText).toMatch(/^test-service: fatal: Error: boom/);
  });
});
