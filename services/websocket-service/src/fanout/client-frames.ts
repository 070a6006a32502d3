/** Parses one text frame from a client. Pure: the hub decides what to do with the result. */
import { clientFrameSchema, ERROR_CODES, type ClientFrame, type ErrorCode } from '@orders-live/protocol';

type ParsedClientFrame =
  { readonly ok: true; readonly frame: ClientFrame } | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

export function parseClientFrame(text: string): ParsedClientFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, code: ERROR_CODES.BAD_JSON, message: 'frame is not valid JSON' };
  }
  const parsed = clientFrameSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    const field = issue?.path[0];
    const code =
      field === 'filter'
        ? ERROR_CODES.BAD_FILTER
        : field === 'cursor'
          ? ERROR_CODES.BAD_CURSOR
          : field === 'window'
            ? ERROR_CODES.BAD_WINDOW
            : ERROR_CODES.BAD_FRAME;
    return { ok: false, code, message: `not a protocol v2 frame: ${where}${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, frame: parsed.data };
}
