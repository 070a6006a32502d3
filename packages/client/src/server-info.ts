/** What the server said about itself on this client's connections: which replica, how far its log is, whether its stream is whole. */
import type { DegradedReport, HeartbeatFrame, StreamStatusFrame, WelcomeFrame } from '@orders-live/protocol';
import type { HeardFreshness } from './freshness.js';

export class ServerInfo {
  /** The replica that answered the current or last connection (its welcome frame). */
  server: string | undefined;
  /** The latest cursor the server reported (welcome, heartbeat): how far the log is, not the view. */
  cursor: string | undefined;
  /** Holes in its stream: null while whole (or before it said). */
  degraded: DegradedReport | null = null;
  /** The last freshness frame, with when it was heard; undefined before the first. */
  freshness: HeardFreshness | undefined;

  take(frame: WelcomeFrame | HeartbeatFrame | StreamStatusFrame): void {
    if (frame.type === 'welcome') this.server = frame.server;
    if (frame.type === 'stream-status') this.degraded = frame.degraded;
    else this.cursor = frame.cursor;
  }
}
