/**
 * Wall-clock time in microseconds with sub-millisecond resolution, comparable across processes on
 * this machine and with Postgres' commit timestamps (all read the same system clock).
 *
 * Date.now() has millisecond steps and performance.timeOrigin is only as good as the moment it was
 * taken, so: wait for Date.now() to tick over to a new millisecond, note the monotonic clock at that
 * edge, and count from there. Error: a few microseconds at the edge, plus clock slew over the run
 * (NTP slews at most 500 ppm: 0.5 ms per 1,000 s, far below what is measured here).
 */
const anchor = (() => {
  const start = Date.now();
  let hr = process.hrtime.bigint();
  let now = Date.now();
  while (now === start) {
    hr = process.hrtime.bigint();
    now = Date.now();
  }
  return { wallUs: now * 1_000, hrNs: hr };
})();

/** Epoch microseconds (as a double: exact to well under a microsecond for the next centuries). */
export function wallMicros(): number {
  return anchor.wallUs + Number(process.hrtime.bigint() - anchor.hrNs) / 1_000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
