/** Decodes one WebSocket message into a server frame of protocol v2. Pure; never throws. */
import { serverFrameSchema, type ServerFrame } from '@orders-live/protocol';

export type ParsedFrame = { readonly ok: true; readonly frame: ServerFrame } | { readonly ok: false; readonly reason: string };

export function parseServerFrame(data: unknown): ParsedFrame {
  if (typeof data !== 'string') return { ok: false, reason: 'not a text frame' };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = serverFrameSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: issue ? `${issue.path.join('.') || 'frame'}: ${issue.message}` : 'not a frame' };
  }
  return { ok: true, frame: parsed.data };
}
