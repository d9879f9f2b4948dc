/**
 * The cron schedule check of CronJob validation (validateScheduleFormat, which parses with
 * robfig/cron's standard parser): five fields or a descriptor (`@hourly`, `@every 5m`...), and
 * robfig's error texts for what does not parse. `TZ=`/`CRON_TZ=` prefixes are refused: the
 * timeZone field says where the schedule runs.
 */

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const months: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const days: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const fields: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: months },
  { min: 0, max: 6, names: days },
];

const descriptors = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

/** strconv.Atoi's error, as robfig's mustParseInt wraps it. */
function parseIntOf(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr))
    throw new Error(
      `failed to parse int from ${expr}: strconv.Atoi: parsing "${expr}": invalid syntax`,
    );
  const n = Number(expr);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseValue(expr: string, b: Bounds): number {
  const named = b.names?.[expr.toLowerCase()];
  return named ?? parseIntOf(expr);
}

/** getRange: `*`, `?`, `a`, `a-b`, each with an optional `/step`. */
function checkRange(expr: string, b: Bounds): void {
  const [lowAndHigh = '', step, extra] = expr.split('/');
  if (extra !== undefined) throw new Error(`too many slashes: ${expr}`);
  const parts = lowAndHigh.split('-');
  let start: number;
  let end: number;
  if (lowAndHigh === '*' || lowAndHigh === '?') {
    start = b.min;
    end = b.max;
  } else {
    if (parts.length > 2) throw new Error(`too many hyphens: ${expr}`);
    start = parseValue(parts[0] ?? '', b);
    end = parts.length === 2 ? parseValue(parts[1] ?? '', b) : start;
  }
  if (step !== undefined) {
    const s = parseIntOf(step);
    if (s === 0) throw new Error(`step of range should be a positive number: ${expr}`);
    if (parts.length === 1 && lowAndHigh !== '*' && lowAndHigh !== '?') end = b.max;
  }
  if (start < b.min)
    throw new Error(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new Error(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end)
    throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
}

/** Why the schedule does not parse, or undefined when it does. */
export function cronScheduleError(schedule: string): string | undefined {
  try {
    // ParseStandard accepts a TZ=/CRON_TZ= prefix; validation refuses it separately.
    let spec = schedule.trim();
    const tz = /^(CRON_)?TZ=\S*\s*/.exec(spec);
    if (tz) spec = spec.slice(tz[0].length);
    if (!spec) return 'empty spec string';
    if (spec.startsWith('@')) {
      if (spec.startsWith('@every ')) {
        if (!/^@every (\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(spec))
          return `failed to parse duration ${spec}: time: invalid duration "${spec.slice(7)}"`;
        return undefined;
      }
      return descriptors.has(spec) ? undefined : `unrecognized descriptor: ${spec}`;
    }
    const parts = spec.split(/\s+/);
    if (parts.length !== 5)
      return `expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`;
    parts.forEach((field, i) => {
      for (const expr of field.split(',')) checkRange(expr, fields[i] as Bounds);
    });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
