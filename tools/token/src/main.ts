/** `npm run token -- --sub ada --filter '{"customer_name":{"eq":"Ada Lovelace"}}' --ttl 3600` prints a signed access token. */
import { existsSync, readFileSync } from 'node:fs';
import { signAccessToken } from '@orders-live/auth';
import { runCli } from '@orders-live/cli-kit';
import { USAGE, parseOptions, type TokenOptions } from './args.js';

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

type Invocation = { readonly help: true } | ({ readonly help: false } & TokenOptions);

await runCli<Invocation>({
  name: 'token',
  usage: USAGE,
  // The environment is read only for a real invocation: --help needs no secret.
  parse: (argv) => (argv.includes('--help') ? { help: true } : { help: false, ...parseOptions(argv, environment()) }),
  run: async (invocation) => {
    if (invocation.help) return;
    process.stdout.write(`${await signAccessToken(invocation.request, invocation.settings.secret, Date.now())}\n`);
  },
});
