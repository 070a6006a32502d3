/**
 * A WebSocket client for tests: records every server frame (validated against the protocol) and
 * lets a test wait for the frames it expects. It asks for protocol v2 (PROTOCOL_SUBPROTOCOL) before
 * any other subprotocol, unless told `version: null` (to test the refusal of unversioned clients).
 */

/** One change of a transaction frame, with the frame's subscription id, txId and commit time. */
export type ReceivedChange = RowChange & { readonly id: string; readonly txId: number | null; readonly commitTime: number };
import WebSocket from 'ws';
import { PROTOCOL_SUBPROTOCOL, serverFrameSchema, type ClientFrame, type RowChange, type ServerFrame } from '@orders-live/protocol';
import { waitFor } from './wait.js';

export class FrameClient {
  readonly frames: ServerFrame[] = [];
  readonly invalid: string[] = [];
  closed: { code: number; reason: string } | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = (data as Buffer).toString('utf8');
      const parsed = serverFrameSchema.safeParse(JSON.parse(text));
      if (parsed.success) this.frames.push(parsed.data);
      else this.invalid.push(text);
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
  }

  /** `options` for access control tests: subprotocols (["bearer", token]) and headers such as Origin. */
  static async connect(url: string, options: { protocols?: string[]; headers?: Record<string, string>; version?: string | null } = {}): Promise<FrameClient> {
    const version = options.version === undefined ? PROTOCOL_SUBPROTOCOL : options.version;
    const protocols = [...(version === null ? [] : [version]), ...(options.protocols ?? [])];
    const socket = new WebSocket(url, protocols, options.headers ? { headers: options.headers } : {});
    const client = new FrameClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.socket.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** Resolves with the first recorded frame (from index `from`) that matches. */
  async next<T extends ServerFrame>(what: string, match: (frame: ServerFrame) => frame is T, from = 0, timeoutMs?: number): Promise<T> {
    return waitFor(what, () => this.frames.slice(from).find(match), timeoutMs);
  }

  /** Subscribes and resolves with the whole snapshot (all chunks) once its last chunk arrives. */
  async subscribe(id = 'orders', table = 'orders'): Promise<{ rows: Extract<ServerFrame, { type: 'snapshot' }>['rows']; cursor: string }> {
    const from = this.frames.length;
    this.send({ type: 'subscribe', id, table });
    await this.next('the last snapshot chunk', (f): f is Extract<ServerFrame, { type: 'snapshot' }> => f.type === 'snapshot' && f.id === id && f.done, from);
    const chunks = this.frames.slice(from).filter((f): f is Extract<ServerFrame, { type: 'snapshot' }> => f.type === 'snapshot' && f.id === id);
    return { rows: chunks.flatMap((c) => c.rows), cursor: chunks.at(-1)!.cursor };
  }

  /** Every change received in transaction frames, in order. */
  changes(): ReceivedChange[] {
    return this.transactions().flatMap((f) => f.changes.map((change) => ({ ...change, id: f.id, txId: f.txId, commitTime: f.commitTime })));
  }

  transactions(): Extract<ServerFrame, { type: 'transaction' }>[] {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: 'transaction' }> => f.type === 'transaction');
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/** A frame, or one change of a transaction frame spread out as a frame of its own. */
export type SpreadFrame = Exclude<ServerFrame, { type: 'transaction' }> | (ReceivedChange & { readonly type: 'change' });

/** The frames with each transaction frame spread into its changes, in order: for tests that check change by change. */
export function spreadChanges(frames: readonly ServerFrame[]): SpreadFrame[] {
  return frames.flatMap((f): SpreadFrame[] =>
    f.type === 'transaction' ? f.changes.map((change) => ({ ...change, type: 'change', id: f.id, txId: f.txId, commitTime: f.commitTime })) : [f],
  );
}
