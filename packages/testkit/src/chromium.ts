/** How tests and benchmarks start Chromium: Debian's build (never a downloaded browser), kept off the network. */

export interface ChromiumLaunchOptions {
  readonly executablePath: string;
  readonly args: string[];
}

/** For Playwright's launchOptions or chromium.launch(); CHROMIUM_PATH overrides where the browser is. */
export function chromiumLaunchOptions(env: NodeJS.ProcessEnv = process.env): ChromiumLaunchOptions {
  return {
    executablePath: env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    // This machine has no network beyond loopback: keep Chromium from reaching out at start.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}
