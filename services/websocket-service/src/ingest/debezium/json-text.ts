/** JSON and UTF-8 that fail as a value, never by throwing (the decoder turns failures into DecodeErrors). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text; undefined where they are not valid UTF-8. */
export function utf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

export function parseText(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
