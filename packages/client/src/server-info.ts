/** What the server said about itself on this client's connections: which replica, how far its log is, whether its stream is whole. */
import type { DegradedReport, HeartbeatFrame, StreamStatusFrame, TableInfo, WelcomeFrame } from '@orders-live/protocol';
import type { HeardFreshness } from './freshness.js';

export class ServerInfo {
  /** The replica that answered the current or last connection (its welcome frame). */
  server: string | undefined;
  /** The latest cursor the server reported of this client's table (welcome, heartbeat): how far the log is, not the view. */
  cursor: string | undefined;
  /** The tables the replica streams (its welcome frame); empty before one came. */
  tables: readonly TableInfo[] = [];
  /** Holes in its stream: null while whole (or before it said). */
  degraded: DegradedReport | null = null;
  /** The last freshness frame, with when it was heard; undefined before the first. */
  freshness: HeardFreshness | undefined;

  /** `table`: the client's table, whose cursor is kept. */
  take(frame: WelcomeFrame | HeartbeatFrame | StreamStatusFrame, table: string): void {
    switch (frame.type) {
      case 'welcome':
        this.server = frame.server;
        this.tables = frame.tables;
        this.cursor = frame.tables.find((info) => info.name === table)?.cursor ?? this.cursor;
        return;
      case 'heartbeat':
        if (frame.table === table) this.cursor = frame.cursor;
        return;
      case 'stream-status':
        this.degraded = frame.degraded;
    }
  }
}
