import { describe, expect, it } from 'vitest';
import { RecoveryLedger, stats } from './recovery.js';
import { checkTargets } from './targets.js';

/** A fake clock the test moves by hand; epoch-like values, as Postgres commit times are. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms), at: () => now };
}

function ledgerWithClients(n: number) {
  const clock = fakeClock();
  const ledger = new RecoveryLedger(clock.now);
  for (let i = 0; i < n; i++) ledger.addClient(i);
  return { clock, ledger };
}

describe('RecoveryLedger', () => {
  it('measures kill → serving and kill → a later commit reaching every client', () => {
    const { clock, ledger } = ledgerWithClients(2);
    clock.advance(500);
    const connectFault = ledger.kill('connect');
    const killAt = clock.at();
    // A change committed before the kill, delivered after it: not a sign of recovery.
    clock.advance(1_000);
    ledger.delivered(0, killAt - 1);
    ledger.delivered(1, killAt - 1);
    clock.advance(9_000);
    ledger.serving(connectFault); // 10 s
    clock.advance(2_000);
    ledger.delivered(0, killAt + 3_000); // client 0 at 12 s
    clock.advance(1_500);
    ledger.delivered(1, killAt + 3_000); // client 1 at 13.5 s: the last one
    const report = ledger.report();
    expect(report.faults).toEqual([{ target: 'connect', killAt: 500, servingMs: 10_000, deliveredMs: 13_500, firstDeliveredMs: 12_000 }]);
    expect(report.episodes).toEqual([
      {
        kind: 'connect',
        targets: ['connect'],
        startAt: 500,
        servingMs: 10_000,
        deliveredMs: 13_500,
        afterServingMs: 3_500,
        disturbed: false,
      },
    ]);
    expect(report.kinds[0]).toMatchObject({ kind: 'connect', delivered: { count: 1, p50: 13_500, max: 13_500 }, unrecovered: 0 });
  });

  it('does not count the time a client was offline by the run’s choice', () => {
    const { clock, ledger } = ledgerWithClients(1);
    const wsaFault = ledger.kill('ws-a');
    const killAt = clock.at();
    clock.advance(200);
    ledger.clientOffline(0);
    clock.advance(2_000);
    ledger.clientOnline(0);
    clock.advance(300);
    ledger.serving(wsaFault);
    ledger.delivered(0, killAt + 100);
    expect(ledger.report().faults[0]!.deliveredMs).toBe(500);
  });

  it('reports a fault no client recovered from as null, not as a number', () => {
    const { clock, ledger } = ledgerWithClients(2);
    expect(ledger.allRecovered()).toBe(true);
    const kafkaFault = ledger.kill('kafka');
    clock.advance(4_000);
    ledger.serving(kafkaFault);
    ledger.delivered(0, clock.at());
    expect(ledger.allRecovered()).toBe(false);
    const report = ledger.report();
    expect(report.faults[0]).toMatchObject({ servingMs: 4_000, deliveredMs: null, firstDeliveredMs: 4_000 });
    expect(report.kinds[0]).toMatchObject({ kind: 'kafka', unrecovered: 1, delivered: { count: 0, p50: null, max: null } });
  });

  it('joins a fault that strikes before the previous one settled into one episode', () => {
    const { clock, ledger } = ledgerWithClients(1);
    const kafkaFault = ledger.kill('kafka');
    clock.advance(2_000);
    const connectFault = ledger.kill('connect'); // Kafka still down: they overlap
    clock.advance(3_000);
    ledger.serving(kafkaFault);
    const afterConnectKill = clock.at();
    clock.advance(5_000);
    ledger.serving(connectFault); // 10 s after the first kill
    clock.advance(4_000);
    ledger.delivered(0, afterConnectKill);
    clock.advance(20_000);
    const wsbFault = ledger.kill('ws-b'); // long after: an episode of its own
    const wsKill = clock.at();
    clock.advance(700);
    ledger.delivered(0, wsKill + 10);
    clock.advance(300);
    ledger.serving(wsbFault);
    expect(ledger.allRecovered()).toBe(true);
    const { episodes, kinds } = ledger.report();
    expect(episodes.map((e) => [e.kind, e.servingMs, e.deliveredMs, e.afterServingMs, e.disturbed])).toEqual([
      ['connect+kafka', 10_000, 14_000, 4_000, false],
      ['ws-b', 1_000, 700, 0, false],
    ]);
    // Single faults first, then pairs.
    expect(kinds.map((k) => k.kind)).toEqual(['ws-b', 'connect+kafka']);
  });

  it('keeps a fault that strikes after the first is serving apart, and marks both disturbed', () => {
    const { clock, ledger } = ledgerWithClients(1);
    const connectFault = ledger.kill('connect');
    clock.advance(8_000);
    ledger.serving(connectFault);
    clock.advance(1_000);
    const postgresFault = ledger.kill('postgres'); // connect serving, but nothing delivered since its kill yet
    clock.advance(3_000);
    ledger.serving(postgresFault);
    clock.advance(2_000);
    ledger.delivered(0, clock.at() - 500);
    expect(ledger.report().episodes.map((e) => [e.kind, e.deliveredMs, e.disturbed])).toEqual([
      ['connect', 14_000, true],
      ['postgres', 5_000, true],
    ]);
  });

  it('does not count a client’s own time offline against a fault, yet lets the episode last until it has the change', () => {
    const { clock, ledger } = ledgerWithClients(1);
    const start = clock.at();
    const connectFault = ledger.kill('connect');
    clock.advance(1_000);
    ledger.clientOffline(0);
    clock.advance(9_000);
    ledger.serving(connectFault); // 10 s
    ledger.clientOnline(0); // back at 10 s, away 9 s by choice
    clock.advance(500);
    const kafkaFault = ledger.kill('kafka'); // 10.5 s: connect's change has not reached the client yet
    ledger.serving(kafkaFault);
    clock.advance(500);
    ledger.delivered(0, start + 10_200); // 11 s, committed before the Kafka kill
    clock.advance(1_500);
    ledger.delivered(0, start + 12_000); // 12.5 s
    const [connect, kafka] = ledger.report().episodes;
    // 11 s of waiting, 9 of them offline by choice: 2 s were the fault's.
    expect(connect).toMatchObject({ kind: 'connect', deliveredMs: 2_000, disturbed: true });
    expect(kafka).toMatchObject({ kind: 'kafka', deliveredMs: 2_000, disturbed: true });
  });

  it('keeps per-kind p50 and max over several episodes', () => {
    const { clock, ledger } = ledgerWithClients(1);
    for (const delay of [3_000, 1_000, 2_000]) {
      const postgresFault = ledger.kill('postgres');
      clock.advance(1_000);
      ledger.serving(postgresFault);
      clock.advance(delay);
      ledger.delivered(0, clock.at());
      clock.advance(30_000);
    }
    const [postgres] = ledger.report().kinds;
    expect(postgres).toMatchObject({
      kind: 'postgres',
      delivered: { count: 3, p50: 3_000, max: 4_000 },
      afterServing: { p50: 2_000, max: 3_000 },
    });
  });
});

describe('stats', () => {
  it('takes the lower middle as p50 and ignores unknown values', () => {
    expect(stats([4, null, 1, 3, 2])).toEqual({ count: 4, p50: 2, max: 4 });
    expect(stats([])).toEqual({ count: 0, p50: null, max: null });
  });
});

describe('checkTargets', () => {
  it('checks each undisturbed single-fault episode against its kind’s measure, and a missing recovery as missed', () => {
    const verdicts = checkTargets([
      { kind: 'ws-a', targets: ['ws-a'], startAt: 0, servingMs: 3_000, deliveredMs: 1_200, afterServingMs: 0, disturbed: false },
      { kind: 'ws-a', targets: ['ws-a'], startAt: 0, servingMs: 3_000, deliveredMs: 9_000, afterServingMs: 6_000, disturbed: true },
      { kind: 'kafka', targets: ['kafka'], startAt: 0, servingMs: 9_000, deliveredMs: 25_000, afterServingMs: 16_000, disturbed: false },
      { kind: 'postgres', targets: ['postgres'], startAt: 0, servingMs: 4_000, deliveredMs: null, afterServingMs: null, disturbed: false },
    ]);
    const byKind = Object.fromEntries(verdicts.map((v) => [v.target.kind, [v.worstMs, v.met]]));
    expect(byKind).toEqual({
      'ws-a': [1_200, true],
      'ws-b': [null, false],
      kafka: [16_000, false],
      connect: [null, false],
      postgres: [null, false],
    });
  });
});
