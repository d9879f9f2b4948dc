/**
 * Time as Kubernetes serializes it, and the injectable clock every component takes so that
 * leases, backoff and grace periods are testable without sleeping.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const realClock: Clock = { now: () => Date.now() };

/** metav1.Time: RFC 3339 with second precision, always UTC (`2024-05-01T10:00:00Z`). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.MicroTime: RFC 3339 with microseconds (`2024-05-01T10:00:00.123000Z`), as Leases and events.k8s.io use. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Parses a metav1.Time or MicroTime; NaN when absent or malformed. */
export function parseTime(text: string | undefined): number {
  return text ? Date.parse(text) : NaN;
}
