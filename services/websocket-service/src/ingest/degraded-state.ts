/**
 * Whether the stream the view follows has a hole in it, and where. Pure: the change feed reports
 * what it saw, readers (/readyz, /metrics, the hub through onChange) read the report.
 *
 * Policy: a record that does not decode is passed, not stopped at, and leaves a gap marker. One
 * partition carries every row, so stopping at one bad record would freeze every row for every client
 * until someone acted; passing it loses nothing else, since each row's change events carry the whole
 * row and apply independently of other rows. The gap names the row (its key) and the record's position;
 * the service reports itself degraded while any gap is open. A gap closes when a later record for the
 * same key decodes (a corrected record, the row's next change, or its tombstone): that record holds
 * the row's whole state, so the row is exact again. A gap whose key does not decode names no row and
 * stays open until a restart: the view is rebuilt from the topic, and only records that still do not
 * decode (not yet compacted away behind a corrected one, or not yet understood by a fixed service)
 * open gaps again. A record that will never be superseded (forged under a key no row has) is
 * inspected by an operator and listed in ACCEPTED_GAPS (partition:offset): it is then counted and
 * logged, but opens no gap.
 */
import { DEFAULT_TABLE, type RowKey } from '@orders-live/protocol';

/** The stable code /readyz and the hub report for an open gap. */
export const DEGRADED_CODE = 'STREAM_GAP' as const;
/** How many gaps a report lists (all are counted). */
const GAPS_LISTED = 10;
/** Open gaps kept; past it the oldest are forgotten but still counted, so the report stays degraded. */
const GAPS_REMEMBERED = 10_000;

export interface Gap {
  readonly partition: number;
  readonly offset: string;
  /** The decoder's code (DBZ_*) and message. */
  readonly code: string;
  readonly reason: string;
  /** The row the record was for ("id=42"), or a note that the key itself did not decode. */
  readonly row: string;
  /** When the record was read, epoch ms. */
  readonly at: number;
}

/** The open gaps as a checkpoint keeps them: each with the row identity it is for, and how many were forgotten. */
export interface OpenGaps {
  readonly gaps: readonly (Gap & { readonly identity: string })[];
  readonly forgotten: number;
}

export interface DegradedReport {
  readonly code: typeof DEGRADED_CODE;
  readonly reason: string;
  readonly openGaps: number;
  readonly gaps: readonly Gap[];
}

type DegradedListener = (report: DegradedReport | null) => void;

const encoder = new TextDecoder('utf-8', { fatal: false });

/** A decoded key's identity: "id=42", "order_id=7,line_no=2"; prefixed by the table's name but for orders. */
export function rowIdentity(key: RowKey, table: string = DEFAULT_TABLE): string {
  const columns = Object.entries(key)
    .map(([column, value]) => `${column}=${String(value)}`)
    .join(',');
  return table === DEFAULT_TABLE ? columns : `${table} ${columns}`;
}

/** Whether a key's JSON is a flat object of scalar values, as every table's record key is. */
function isRowKey(value: unknown): value is RowKey {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const values = Object.values(value as Record<string, unknown>);
  return values.length > 0 && values.every((v) => typeof v === 'string' || typeof v === 'boolean' || Number.isSafeInteger(v));
}

/** The key's identity: rowIdentity when it decodes as a table's key, else its exact bytes; and which it is. */
export function keyIdentity(keyBytes: Uint8Array | null, table: string = DEFAULT_TABLE): { identity: string; decoded: boolean } {
  if (keyBytes === null) return { identity: 'none', decoded: false };
  try {
    const key: unknown = JSON.parse(encoder.decode(keyBytes));
    if (isRowKey(key)) return { identity: rowIdentity(key, table), decoded: true };
  } catch {
    // not JSON: identified by its bytes below
  }
  return { identity: `${table === DEFAULT_TABLE ? '' : `${table} `}bytes=${Buffer.from(keyBytes).toString('base64')}`, decoded: false };
}

export class DegradedState {
  /** identity → gap, oldest first. */
  readonly #gaps = new Map<string, Gap>();
  #forgotten = 0;
  readonly #listeners = new Set<DegradedListener>();
  readonly #accepted: ReadonlySet<string>;

  /** `accepted`: positions ("partition:offset") whose records an operator accepted as no lost change. */
  constructor(accepted: readonly string[] = []) {
    this.#accepted = new Set(accepted);
  }

  get degraded(): boolean {
    return this.#gaps.size + this.#forgotten > 0;
  }

  get openGaps(): number {
    return this.#gaps.size + this.#forgotten;
  }

  report(): DegradedReport | null {
    if (!this.degraded) return null;
    const gaps = [...this.#gaps.values()].slice(0, GAPS_LISTED);
    const first = gaps[0];
    return {
      code: DEGRADED_CODE,
      reason: first
        ? `${this.openGaps} record(s) of the topic do not decode; the rows they were for may be stale (first: ${first.row} at ${first.partition}:${first.offset}, ${first.code})`
        : `${this.openGaps} record(s) of the topic do not decode`,
      openGaps: this.openGaps,
      gaps,
    };
  }

  onChange(listener: DegradedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A record that does not decode; returns its gap, with `accepted` true when ACCEPTED_GAPS lists it. */
  recordGap(keyBytes: Uint8Array | null, gap: Omit<Gap, 'row'>, table: string = DEFAULT_TABLE): Gap & { readonly accepted: boolean } {
    const { identity, decoded } = keyIdentity(keyBytes, table);
    const full: Gap = { ...gap, row: decoded ? identity : `a key that does not decode (${identity.slice(0, 40)})` };
    if (this.#accepted.has(`${gap.partition}:${gap.offset}`)) return { ...full, accepted: true };
    this.#gaps.delete(identity);
    this.#gaps.set(identity, full);
    if (this.#gaps.size > GAPS_REMEMBERED) {
      this.#gaps.delete(this.#gaps.keys().next().value!);
      this.#forgotten += 1;
    }
    this.#notify();
    return { ...full, accepted: false };
  }

  /** The open gaps, to keep in a checkpoint: a replica started from it still says which rows may be stale. */
  snapshot(): OpenGaps {
    return { gaps: [...this.#gaps].map(([identity, gap]) => ({ identity, ...gap })), forgotten: this.#forgotten };
  }

  /** Takes back the open gaps of a checkpoint, into a state that has none yet. */
  restore(open: OpenGaps): void {
    for (const { identity, ...gap } of open.gaps) this.#gaps.set(identity, gap);
    this.#forgotten += open.forgotten;
    if (this.degraded) this.#notify();
  }

  /** A record for this key of `table` decoded and was applied: a gap for that row closes. */
  recordDecoded(key: RowKey, table: string = DEFAULT_TABLE): void {
    if (this.#gaps.size > 0 && this.#gaps.delete(rowIdentity(key, table))) this.#notify();
  }

  #notify(): void {
    const report = this.report();
    for (const listener of this.#listeners) listener(report);
  }
}
