/** Reading an HTTP watch (newline-delimited JSON events) in tests. */

export interface WatchedEvent {
  type: string;
  // Tests inspect arbitrary objects field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  object: any;
}

export interface ReadWatchOptions {
  /** Stop after this many events (or when the server ends the stream). */
  count: number;
  headers?: Record<string, string>;
  /** Runs once the stream is open; the reader waits for it before returning. */
  during?: () => Promise<void>;
}

/** Opens `url` as a watch and returns the events read; throws unless the answer is 200. */
export async function readWatch(url: string, opts: ReadWatchOptions): Promise<WatchedEvent[]> {
  const ac = new AbortController();
  const r = await fetch(url, { signal: ac.signal, headers: opts.headers ?? {} });
  if (r.status !== 200) throw new Error(`watch ${url} answered ${r.status}: ${await r.text()}`);
  const reader = r.body!.getReader();
  const events: WatchedEvent[] = [];
  let buf = '';
  const pending = opts.during?.();
  try {
    while (events.length < opts.count) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += Buffer.from(value).toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)) as WatchedEvent);
        buf = buf.slice(i + 1);
      }
    }
  } finally {
    ac.abort();
    await pending;
  }
  return events;
}
