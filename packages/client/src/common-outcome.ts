/**
 * What a subscription's state (table-state.ts for the table, window-state.ts for a window) says of a
 * frame, where the two agree: already applied, a reset, not for it, or against the protocol. The
 * client acts on these the same way for both (client-frames.ts). Invalid outcomes carry a stable code.
 */
import type { ResetFrame } from '@orders-live/protocol';

/**
 * Why the client refused a message. Codes never change meaning; new ones are added.
 *   E_CLIENT_NOT_A_FRAME   not text, not JSON, or not a frame of protocol v2 (its schema)
 *   E_CLIENT_OUT_OF_PLACE  a frame for the other kind of subscription (a diff to a table subscriber)
 *   E_CLIENT_RULE          against the protocol's rules: cursors not increasing, a resume nobody asked
 *                          for, diff steps that do not fit the rows, a change without its row
 *   E_CLIENT_ROW_COLUMNS   a row lacks a column of the last columns frame, or has one it does not list
 *   E_CLIENT_VALUE_KIND    a row's value is not of its column's kind (a number for a decimal column…)
 */
export const INVALID_FRAME_CODES = {
  NOT_A_FRAME: 'E_CLIENT_NOT_A_FRAME',
  OUT_OF_PLACE: 'E_CLIENT_OUT_OF_PLACE',
  RULE: 'E_CLIENT_RULE',
  ROW_COLUMNS: 'E_CLIENT_ROW_COLUMNS',
  VALUE_KIND: 'E_CLIENT_VALUE_KIND',
} as const;
export type InvalidFrameCode = (typeof INVALID_FRAME_CODES)[keyof typeof INVALID_FRAME_CODES];

export type CommonOutcome =
  /** Every change of the frame is at or before the state's cursor: already applied, dropped. */
  | { readonly kind: 'duplicate'; readonly cursor: string }
  | { readonly kind: 'reset'; readonly cursor: string; readonly reason: ResetFrame['reason'] }
  /** Well-formed, but not for this state (another subscription) or not expected now. */
  | { readonly kind: 'ignored'; readonly reason: 'other-subscription' | 'not-subscribed' | 'not-synced' }
  /** Passed the schema but breaks the protocol; the state is unchanged and the client subscribes afresh. */
  | { readonly kind: 'invalid'; readonly code: InvalidFrameCode; readonly reason: string };

export function invalid(reason: string, code: InvalidFrameCode = INVALID_FRAME_CODES.RULE): CommonOutcome & { kind: 'invalid' } {
  return { kind: 'invalid', code, reason };
}
