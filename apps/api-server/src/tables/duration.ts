/**
 * Ages as kubectl shows them: apimachinery's duration.HumanDuration, about two significant
 * figures ("5s", "3m2s", "45m", "5h3m", "20h", "2d3h", "300d", "3y20d", "10y"), and the
 * printers' translateTimestampSince ("<unknown>" for an absent timestamp).
 */
import { parseTime } from '@kubeling/api';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** duration.HumanDuration for a duration in milliseconds. */
export function humanDuration(ms: number): string {
  // Upstream tolerates up to two seconds of clock skew (a timestamp slightly in the future
  // reads as "0s"); beyond that the value is "<invalid>".
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** translateTimestampSince: the age of a metav1.Time/MicroTime at `now`, "<unknown>" when unset. */
export function since(timestamp: string | undefined, now: number): string {
  const t = parseTime(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}
