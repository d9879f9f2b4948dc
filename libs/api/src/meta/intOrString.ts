/**
 * IntOrString (apimachinery `intstr`): a port number or name, a count or a percentage (`25%`).
 *
 *   scaledValueFromIntOrPercent('25%', 10, true);   // 3 — maxSurge rounds up
 *   scaledValueFromIntOrPercent('25%', 10, false);  // 2 — maxUnavailable rounds down
 *   validatePositiveIntOrPercent('120%', path('spec', 'strategy', 'rollingUpdate', 'maxSurge'));
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from './fieldErrors';
import { invalidValue } from './fieldErrors';

export const IntOrString = z.union([z.number().int(), z.string()]);
export type IntOrString = z.infer<typeof IntOrString>;

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** strconv.Atoi, throwing its error text (`strconv.Atoi: parsing "x": invalid syntax`). */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s))
    throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const v = BigInt(s);
  if (v > INT64_MAX || v < INT64_MIN)
    throw new Error(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(v);
}

/** getIntOrPercentValueSafely: an int as is; a string only as `N%`. */
function intOrPercentSafely(v: IntOrString): { value: number; percent: boolean } {
  if (typeof v === 'number') return { value: v, percent: false };
  if (!v.endsWith('%')) throw new Error('invalid type: string is not a percentage');
  try {
    return { value: atoi(v.slice(0, -1)), percent: true };
  } catch (e) {
    throw new Error(`invalid value ${JSON.stringify(v)}: ${(e as Error).message}`);
  }
}

/**
 * GetScaledValueFromIntOrPercent: an int as is, `N%` of `total` rounded up or down.
 * Throws an Error with Kubernetes' message for a malformed percentage.
 *
 * The Deployment controller rounds maxSurge up and maxUnavailable down (deployment util
 * ResolveFenceposts), so 25% of 10 replicas allows 3 extra pods and 2 unavailable ones.
 */
export function scaledValueFromIntOrPercent(
  v: IntOrString,
  total: number,
  roundUp: boolean,
): number {
  let r: { value: number; percent: boolean };
  try {
    r = intOrPercentSafely(v);
  } catch (e) {
    throw new Error(`invalid value for IntOrString: ${(e as Error).message}`);
  }
  if (!r.percent) return r.value;
  // The same float64 operations as upstream (value * total / 100, then ceil or floor).
  const scaled = (r.value * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** True for `N%` strings. */
export function isPercent(v: IntOrString): boolean {
  return typeof v === 'string' && /^[0-9]+%$/.test(v);
}

/** validation.IsValidPercent: `^[0-9]+%$`, with the RegexError wording. */
export function isValidPercent(v: string): string[] {
  return /^[0-9]+%$/.test(v)
    ? []
    : [
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ];
}

/**
 * ValidatePositiveIntOrPercent (apps validation): a string must be a percentage, an int must be
 * non-negative (ValidateNonnegativeField).
 */
export function validatePositiveIntOrPercent(v: IntOrString, p: FieldPath): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => invalidValue(p, v, m));
  if (Number.isInteger(v))
    return v < 0 ? [invalidValue(p, v, 'must be greater than or equal to 0')] : [];
  return [invalidValue(p, v, "must be an integer or percentage (e.g '5%')")];
}

/** The check Deployment's maxSurge/maxUnavailable get; the same as validatePositiveIntOrPercent. */
export function validateIntOrPercent(v: IntOrString, p: FieldPath): FieldError[] {
  return validatePositiveIntOrPercent(v, p);
}

/** IsNotMoreThan100Percent: a valid percentage above 100% is refused; anything else passes. */
export function isNotMoreThan100Percent(v: IntOrString, p: FieldPath): FieldError[] {
  if (typeof v !== 'string' || !isPercent(v)) return [];
  return Number(v.slice(0, -1)) > 100 ? [invalidValue(p, v, 'must not be greater than 100%')] : [];
}

/**
 * getIntOrPercentValue (apps validation): the number in `N%`, or the int, or — as
 * IntOrString.IntValue() does for other strings — the string read as a number, 0 if it is not one.
 * ValidateRollingUpdateDeployment uses it for "may not be 0 when `maxSurge` is 0".
 */
export function intOrPercentValue(v: IntOrString): number {
  if (typeof v === 'number') return v;
  if (isPercent(v)) return Number(v.slice(0, -1));
  try {
    return atoi(v);
  } catch {
    return 0;
  }
}
