/**
 * The view's checkpoint on local disk (CHECKPOINT_DIR): written on graceful shutdown and, once the
 * replica has caught up, every CHECKPOINT_INTERVAL_MS while the position moves; loaded at start-up when it fits the topic
 * (checkpoint.ts says what is in it and when it fits).
 *
 * A checkpoint is taken only at a whole-transaction boundary (nothing held by the assembler); the
 * stream's open gaps go with it (degraded-state.ts), so a restart does not forget them. It is
 * copied from the view in one synchronous step, then serialised and written a frame at a time, the
 * event loop running between frames; the file appears whole or not at all (temp file, fsync,
 * rename, fsync of the directory). A file that cannot be read, or does not fit the topic, is
 * discarded with a stable code (CHECKPOINT_INVALID, CHECKPOINT_MISMATCH) and the replica reads the
 * topic from its beginning: never a crash.
 */
import type { OpenGaps } from '../ingest/degraded-state.js';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { formatCursor } from '@orders-live/protocol';
import type { Logger } from '../logger.js';
import type { ChangeRing } from '../stream/ring.js';
import type { TableView } from './table-view.js';
import {
  CHECKPOINT_INVALID,
  CHECKPOINT_MISMATCH,
  checkpointMismatch,
  decodeCheckpoint,
  encodeCheckpoint,
  type CheckpointProblem,
  type TopicFacts,
} from './checkpoint.js';

/** The file's name in CHECKPOINT_DIR; the temp file is this plus TEMP_SUFFIX. */
export const CHECKPOINT_FILE = 'view.checkpoint';
const TEMP_SUFFIX = '.tmp';
/** On shutdown, how long a transaction still held may take to be released before the checkpoint is skipped. */
const SHUTDOWN_IDLE_WAIT_MS = 3_000;
const IDLE_POLL_MS = 50;
/** The stable code logged when a checkpoint cannot be written (disk full, no permission): the replica carries on. */
export const CHECKPOINT_WRITE_FAILED = 'CHECKPOINT_WRITE_FAILED';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What /readyz shows of the checkpoint. */
export interface CheckpointStatus {
  /** Where this replica's view started: a checkpoint file, or the topic's beginning. */
  readonly startedFrom: 'checkpoint' | 'topic' | 'pending';
  /** The checkpoint loaded at start-up: its cursor, rows and when it was taken. */
  readonly loaded: { readonly cursor: string; readonly rows: number; readonly takenAt: string; readonly loadMs: number } | null;
  /** Why a checkpoint file was not used. */
  readonly discarded: CheckpointProblem | null;
  readonly lastWritten: {
    readonly cursor: string;
    readonly rows: number;
    readonly bytes: number;
    readonly at: string;
    readonly writeMs: number;
    /** The longest the event loop was held by one step of the write (the copy, or one frame). */
    readonly longestPauseMs: number;
  } | null;
}

export interface CheckpointStoreDeps {
  readonly view: TableView;
  readonly ring: ChangeRing;
  /** The table topic's reader: the topic as it was at start-up, and where it stands now. */
  readonly feed: { readonly facts: TopicFacts | undefined; positions(): Map<number, bigint> | undefined };
  /** True when a checkpoint may be taken: nothing held by the assembler. */
  readonly atBoundary: () => boolean;
  /** The stream's open gaps: kept in the checkpoint and taken back from it. */
  readonly degraded: { snapshot(): OpenGaps; restore(open: OpenGaps): void };
  /** The replica has read its topic to the end once: periodic checkpoints wait for it, not to slow the catch-up. */
  readonly caughtUp: () => boolean;
  readonly log: Logger;
  readonly now: () => number;
}

export interface CheckpointStoreOptions {
  readonly dir: string;
  readonly topic: string;
  readonly intervalMs: number;
}

export class CheckpointStore {
  readonly #deps: CheckpointStoreDeps;
  readonly #options: CheckpointStoreOptions;
  #status: CheckpointStatus = { startedFrom: 'pending', loaded: null, discarded: null, lastWritten: null };
  /** Offsets of the last checkpoint written or loaded: an unmoved position is not written again. */
  #lastOffsets: string | undefined;
  #loadedOffsets: ReadonlyMap<number, bigint> | undefined;
  #writing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: CheckpointStoreDeps, options: CheckpointStoreOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  get status(): CheckpointStatus {
    return this.#status;
  }

  get #file(): string {
    return join(this.#options.dir, CHECKPOINT_FILE);
  }

  /**
   * For the change feed's first start (resumeFrom): loads the checkpoint into the view and the ring
   * when one is there and fits the topic, and says where to carry on; undefined: read from the beginning.
   */
  async load(facts: TopicFacts): Promise<ReadonlyMap<number, bigint> | undefined> {
    // A start retried after a Kafka error asks again: the answer was given once and stands.
    if (this.#status.startedFrom !== 'pending') return this.#loadedOffsets;
    const { log, view, ring, now } = this.#deps;
    const startedAt = now();
    let bytes: Buffer;
    try {
      bytes = await readFile(this.#file);
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      if (missing) log.info({ file: this.#file }, 'no checkpoint: reading the topic from its beginning');
      else this.#discard({ code: CHECKPOINT_INVALID, reason: `cannot read the file: ${(err as Error).message}` });
      this.#status = { ...this.#status, startedFrom: 'topic' };
      return undefined;
    }
    const decoded = decodeCheckpoint(bytes);
    if (!decoded.ok) return this.#discard(decoded);
    const mismatch = checkpointMismatch(decoded.state, facts);
    if (mismatch !== null) return this.#discard({ code: CHECKPOINT_MISMATCH, reason: mismatch });
    const { state } = decoded;
    view.restore(state);
    this.#deps.degraded.restore(state.openGaps);
    // The ring has nothing from before the checkpoint: older cursors are reset, never replayed with a hole.
    ring.startAfter(state.position);
    const loaded = {
      cursor: formatCursor(state.position),
      rows: state.rows.length,
      takenAt: new Date(state.takenAt).toISOString(),
      loadMs: now() - startedAt,
    };
    this.#status = { ...this.#status, startedFrom: 'checkpoint', loaded };
    this.#lastOffsets = offsetsKey(state.offsets);
    this.#loadedOffsets = state.offsets;
    log.info(
      { file: this.#file, bytes: bytes.length, offsets: Object.fromEntries([...state.offsets].map(([p, o]) => [p, String(o)])), ...loaded },
      'started from a checkpoint',
    );
    return state.offsets;
  }

  #discard(problem: CheckpointProblem): undefined {
    this.#deps.log.warn(
      { file: this.#file, code: problem.code, reason: problem.reason },
      'checkpoint discarded: reading the topic from its beginning',
    );
    this.#status = { ...this.#status, startedFrom: 'topic', discarded: { code: problem.code, reason: problem.reason } };
    return undefined;
  }

  /** Writes a checkpoint every intervalMs while the position moves. */
  start(): void {
    this.#timer = setInterval(() => void this.write('periodic'), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** On shutdown, after the feeds have stopped: waits a little for a held transaction, then writes a last checkpoint. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#writing;
    const deadline = this.#deps.now() + SHUTDOWN_IDLE_WAIT_MS;
    while (!this.#deps.atBoundary() && this.#deps.now() < deadline) await sleep(IDLE_POLL_MS);
    await this.write('shutdown');
  }

  /** Takes and writes a checkpoint if one may be taken now and the position moved; never throws. */
  write(reason: 'periodic' | 'shutdown'): Promise<void> {
    if (this.#writing) return this.#writing;
    const done = this.#write(reason).finally(() => {
      this.#writing = undefined;
    });
    this.#writing = done;
    return done;
  }

  async #write(reason: 'periodic' | 'shutdown'): Promise<void> {
    const { log, view, feed, now } = this.#deps;
    const facts = feed.facts;
    const offsets = feed.positions();
    if (!facts || !offsets || (reason === 'periodic' && !this.#deps.caughtUp())) return;
    if (!this.#deps.atBoundary()) {
      log.info({ reason }, 'checkpoint skipped: a transaction is held');
      return;
    }
    const key = offsetsKey(offsets);
    if (key === this.#lastOffsets) return;

    const startedAt = now();
    const state = {
      ...view.checkpointState(),
      topic: this.#options.topic,
      clusterId: facts.clusterId,
      partitionCount: facts.partitions.length,
      offsets,
      takenAt: startedAt,
      openGaps: this.#deps.degraded.snapshot(),
    };
    let longestPauseMs = now() - startedAt;
    const temp = this.#file + TEMP_SUFFIX;
    let bytes = 0;
    try {
      await mkdir(this.#options.dir, { recursive: true });
      const handle = await open(temp, 'w');
      try {
        const frames = encodeCheckpoint(state);
        for (;;) {
          const stepAt = now();
          const next = frames.next();
          longestPauseMs = Math.max(longestPauseMs, now() - stepAt);
          if (next.done) break;
          bytes += next.value.length;
          // Each write is awaited: the event loop runs between frames.
          await handle.write(next.value);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.#file);
      await syncDir(this.#options.dir);
    } catch (err) {
      log.error(
        { err, code: CHECKPOINT_WRITE_FAILED, file: this.#file, reason },
        'checkpoint not written; the previous one, if any, stays',
      );
      await rm(temp, { force: true }).catch(() => undefined);
      return;
    }
    this.#lastOffsets = key;
    const lastWritten = {
      cursor: formatCursor(state.position),
      rows: state.rows.length,
      bytes,
      at: new Date(startedAt).toISOString(),
      writeMs: now() - startedAt,
      longestPauseMs,
    };
    this.#status = { ...this.#status, lastWritten };
    log.info({ reason, file: this.#file, ...lastWritten }, 'checkpoint written');
  }
}

function offsetsKey(offsets: ReadonlyMap<number, bigint>): string {
  return [...offsets].map(([partition, offset]) => `${partition}:${offset}`).join(',');
}

/** The rename is durable once the directory itself is synced. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
