/** `npm run token -- --sub ada --filter '{"customer_name":{"eq":"Ada Lovelace"}}' --ttl 3600` prints a signed access token. */
import { existsSync, readFileSync } from 'node:fs';
import { signAccessToken } from '@orders-live/auth';
import { USAGE, UsageError, parseOptions } from './args.js';

/** KEY=VALUE lines of ./.env (what docker compose reads), under the environment's own values. */
function environment(): NodeJS.ProcessEnv {
  const file: Record<string, string> = {};
  if (existsSync('.env')) {
    for (const line of readFileSync('.env', 'utf8').split('\n')) {
      const trimmed = line.trim();
      const eq = trimmed.indexOf('=');
      if (trimmed && !trimmed.startsWith('#') && eq > 0) file[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
    }
  }
  return { ...file, ...process.env };
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { request, settings } = parseOptions(process.argv.slice(2), environment());
  process.stdout.write(`${await signAccessToken(request, settings.secret, Date.now())}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) process.stderr.write(`token: ${err.message}\n${USAGE}\n`);
  else process.stderr.write(`token: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
