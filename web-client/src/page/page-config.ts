/**
 * The page's run-time configuration, set by GET /config.js (see src/server/config-script.ts) as
 * `window.__ORDERS_LIVE_CONFIG__`. Validated here because a page must not trust a global.
 */
import * as z from 'zod';

const pageConfigSchema = z.object({
  websocketUrl: z.string().refine(isWebSocketUrl, 'expected a ws:// or wss:// URL'),
  /** The orders API (services/orders-api): where the page sends its writes. */
  apiUrl: z.string().refine(isHttpUrl, 'expected an http:// or https:// URL'),
});

type PageConfig = z.infer<typeof pageConfigSchema>;

type PageConfigResult = { readonly ok: true; readonly config: PageConfig } | { readonly ok: false; readonly message: string };

export function readPageConfig(value: unknown): PageConfigResult {
  if (value === undefined) return { ok: false, message: 'no configuration: /config.js did not load' };
  const parsed = pageConfigSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return { ok: false, message: `bad configuration: ${problems.join('; ')}` };
  }
  return { ok: true, config: parsed.data };
}

function isWebSocketUrl(value: string): boolean {
  return hasProtocol(value, 'ws:', 'wss:');
}

function isHttpUrl(value: string): boolean {
  return hasProtocol(value, 'http:', 'https:');
}

function hasProtocol(value: string, ...protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false; // URL.canParse is too new for some browsers still in use
  }
}
