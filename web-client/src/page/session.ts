/**
 * One page's subscription to the orders table: the subscribe frame to send on every (re)connect,
 * and what each server frame means for the table and the status line. No DOM: it drives a Display.
 * Every message is validated; a bad one is counted and reported, never thrown.
 */
import type { SubscribeFrame } from '@orders-live/protocol';
import { OrdersView, type ViewUpdate } from './orders-view.js';
import { parseServerFrame } from './server-frames.js';

/** The page holds one subscription, so a fixed id. */
export const SUBSCRIPTION_ID = 'orders';

export type RowsUpdate = Exclude<ViewUpdate, { kind: 'dropped' } | { kind: 'invalid' }>;

export interface Summary {
  readonly rows: number;
  /** The cursor the view is at; undefined before the first snapshot. */
  readonly cursor: string | undefined;
  /** Commit → screen: now() minus the commit time of the last change shown. */
  readonly latencyMs: number | undefined;
  readonly invalidFrames: number;
  /** The replica that answered, from its welcome frame. */
  readonly server: string | undefined;
  /** The last error frame ("code: message"), until the next connection. */
  readonly error: string | undefined;
}

export interface Display {
  applyUpdate(update: RowsUpdate): void;
  showSummary(summary: Summary): void;
}

export interface SessionDeps {
  readonly display: Display;
  /** Epoch milliseconds, as Date.now. */
  readonly now: () => number;
  /** Where invalid frames are reported for a developer (the console in the browser). */
  readonly warn: (message: string) => void;
}

export class OrdersSession {
  readonly #deps: SessionDeps;
  readonly #view = new OrdersView(SUBSCRIPTION_ID);
  #latencyMs: number | undefined;
  #invalidFrames = 0;
  #server: string | undefined;
  #error: string | undefined;

  constructor(deps: SessionDeps) {
    this.#deps = deps;
  }

  get view(): OrdersView {
    return this.#view;
  }

  /** Call on every socket open; returns the frame to send. A fresh snapshot will replace the view. */
  subscribe(): string {
    this.#view.expectSnapshot();
    this.#error = undefined;
    this.#server = undefined;
    this.#showSummary();
    const frame: SubscribeFrame = { type: 'subscribe', id: SUBSCRIPTION_ID, table: 'orders' };
    return JSON.stringify(frame);
  }

  receive(data: unknown): void {
    const parsed = parseServerFrame(data);
    if (!parsed.ok) {
      this.#invalid(parsed.reason);
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case 'welcome':
        this.#server = frame.server;
        break;
      case 'heartbeat':
        return;
      case 'error':
        this.#error = `${frame.code}: ${frame.message}`;
        break;
      case 'snapshot':
      case 'change': {
        const update = this.#view.apply(frame);
        if (update.kind === 'invalid') {
          this.#invalid(update.reason);
          return;
        }
        if (update.kind === 'dropped') return;
        this.#deps.display.applyUpdate(update);
        if (frame.type === 'change') this.#latencyMs = this.#deps.now() - frame.commitTime;
        break;
      }
    }
    this.#showSummary();
  }

  #invalid(reason: string): void {
    this.#invalidFrames += 1;
    this.#deps.warn(`orders-live: ignored an invalid frame (${reason})`);
    this.#showSummary();
  }

  #showSummary(): void {
    this.#deps.display.showSummary({
      rows: this.#view.size,
      cursor: this.#view.cursor,
      latencyMs: this.#latencyMs,
      invalidFrames: this.#invalidFrames,
      server: this.#server,
      error: this.#error,
    });
  }
}
