/**
 * What embedding the value schema costs (value.converter.schemas.enable=true): bytes per record and
 * decode time per record, against the schemaless records of before (the same-run baseline). The
 * service's own decoder on recorded fixtures: no stack, CPU only. Each case decodes `records` records
 * per round; the figure is the median round.
 */
import { readFileSync } from 'node:fs';
import { num, type Options } from '@orders-live/cli-kit';
import { REPO_ROOT } from '@orders-live/testkit';
import { RowCodecCache, decodeRecord } from '@orders-live/websocket-service/decoder';
import { RESULT_OPTIONS, resultHead, type Machine } from '../harness/results.js';

export const DECODE_OPTIONS = {
  records: num(50_000, 'records decoded per case and round', 1),
  rounds: num(7, 'rounds; the median round is reported', 1),
  ...RESULT_OPTIONS,
};
export type DecodeOptions = Options<typeof DECODE_OPTIONS>;

/** The recorded change events the decoder's unit tests use. */
const FIXTURES_DIR = `${REPO_ROOT}services/websocket-service/src/ingest/fixtures/`;

interface Fixture {
  readonly key: string;
  readonly value: string;
}

interface DecodeCase {
  readonly name: string;
  readonly fixture: string;
  /** false: a new cache per record, as if every record brought a schema never seen before. */
  readonly cached: boolean;
}

// The same update of the same columns, as the converter wrote it without and with the schema.
const CASES: readonly DecodeCase[] = [
  { name: 'schemaless (baseline)', fixture: 'update', cached: true },
  { name: 'with schema', fixture: 'schema/01-update-before-ddl', cached: true },
  { name: 'with schema, uncached', fixture: 'schema/01-update-before-ddl', cached: false },
  { name: 'with schema, 20 columns', fixture: 'schema/09-many-types', cached: true },
];

export interface DecodeCaseResult {
  readonly case: string;
  readonly valueBytes: number;
  readonly bytesVsBaseline: number;
  readonly decodeNsPerRecord: number;
  readonly decodeVsBaseline: number;
  readonly recordsPerSecond: number;
}

export interface DecodeResult {
  readonly benchmark: 'decode';
  readonly startedAt: string;
  readonly machine: Machine;
  readonly options: Omit<DecodeOptions, 'outDir' | 'json'>;
  readonly results: readonly DecodeCaseResult[];
}

const encoder = new TextEncoder();

function loadFixture(name: string): { key: Uint8Array; value: Uint8Array } {
  const fixture = JSON.parse(readFileSync(`${FIXTURES_DIR}${name}.json`, 'utf8')) as Fixture;
  return { key: encoder.encode(fixture.key), value: encoder.encode(fixture.value) };
}

/** Nanoseconds per record over one round of `records` decodes. */
function decodeRound(c: DecodeCase, records: number): number {
  const { key, value } = loadFixture(c.fixture);
  const shared = c.cached ? new RowCodecCache() : null;
  const started = process.hrtime.bigint();
  for (let i = 0; i < records; i += 1) {
    const result = decodeRecord(key, value, shared ?? new RowCodecCache());
    if (!result.ok) throw new Error(`${c.name}: ${result.error.code} ${result.error.message}`);
  }
  return Number(process.hrtime.bigint() - started) / records;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runDecode(options: DecodeOptions, log: (line: string) => void): Promise<DecodeResult> {
  const startedAt = new Date().toISOString();
  const samples = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  // Warm-up: the JIT compiles both paths before anything is timed.
  decodeRound(CASES[0]!, options.records);
  decodeRound(CASES[1]!, options.records);
  for (let round = 0; round < options.rounds; round += 1) {
    for (const c of CASES) samples.get(c.name)!.push(decodeRound(c, options.records));
    log(`round ${round + 1} of ${options.rounds} done`);
    await Promise.resolve();
  }
  const baseline = CASES[0]!;
  const baselineBytes = loadFixture(baseline.fixture).value.length;
  const baselineNs = median(samples.get(baseline.name)!);
  const results = CASES.map((c) => {
    const bytes = loadFixture(c.fixture).value.length;
    const ns = median(samples.get(c.name)!);
    return {
      case: c.name,
      valueBytes: bytes,
      bytesVsBaseline: +(bytes / baselineBytes).toFixed(2),
      decodeNsPerRecord: Math.round(ns),
      decodeVsBaseline: +(ns / baselineNs).toFixed(2),
      recordsPerSecond: Math.round(1e9 / ns),
    };
  });
  return { ...resultHead('decode', startedAt, options), results };
}
