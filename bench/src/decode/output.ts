/** The decode benchmark's result as a table, each case next to the schemaless baseline. */
import { table } from '../harness/results.js';
import type { DecodeResult } from './run.js';

export function formatDecode(result: DecodeResult): string {
  const { options, results } = result;
  return [
    `decode benchmark: ${options.records} records per case, median of ${options.rounds} rounds`,
    table([
      ['case', 'value bytes', '× baseline', 'ns/record', '× baseline', 'records/s'],
      ...results.map((r) => [r.case, r.valueBytes, r.bytesVsBaseline, r.decodeNsPerRecord, r.decodeVsBaseline, r.recordsPerSecond]),
    ]),
  ].join('\n');
}
