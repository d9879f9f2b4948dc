import { formatFieldError, path } from './fieldErrors';
import {
  intOrPercentValue,
  isNotMoreThan100Percent,
  isPercent,
  isValidPercent,
  scaledValueFromIntOrPercent,
  validateIntOrPercent,
  validatePositiveIntOrPercent,
} from './intOrString';

describe('scaledValueFromIntOrPercent', () => {
  it('rounds maxSurge up and maxUnavailable down (25% of 10)', () => {
    expect(scaledValueFromIntOrPercent('25%', 10, true)).toBe(3);
    expect(scaledValueFromIntOrPercent('25%', 10, false)).toBe(2);
  });

  it('scales like intstr.GetScaledValueFromIntOrPercent', () => {
    expect(scaledValueFromIntOrPercent(5, 10, true)).toBe(5);
    expect(scaledValueFromIntOrPercent(0, 10, false)).toBe(0);
    expect(scaledValueFromIntOrPercent('0%', 10, true)).toBe(0);
    expect(scaledValueFromIntOrPercent('100%', 3, false)).toBe(3);
    expect(scaledValueFromIntOrPercent('25%', 1, true)).toBe(1);
    expect(scaledValueFromIntOrPercent('25%', 1, false)).toBe(0);
    expect(scaledValueFromIntOrPercent('50%', 5, true)).toBe(3);
    expect(scaledValueFromIntOrPercent('50%', 5, false)).toBe(2);
    expect(scaledValueFromIntOrPercent('25%', 0, true)).toBe(0);
  });

  it('throws upstream messages for malformed values', () => {
    expect(() => scaledValueFromIntOrPercent('5', 10, true)).toThrow(
      'invalid value for IntOrString: invalid type: string is not a percentage',
    );
    expect(() => scaledValueFromIntOrPercent('x%', 10, true)).toThrow(
      'invalid value for IntOrString: invalid value "x%": strconv.Atoi: parsing "x": invalid syntax',
    );
  });
});

describe('percent helpers', () => {
  it('recognizes percentages', () => {
    expect(isPercent('25%')).toBe(true);
    expect(isPercent('25')).toBe(false);
    expect(isPercent(25)).toBe(false);
    expect(isPercent('-5%')).toBe(false);
    expect(isValidPercent('93%')).toEqual([]);
    expect(isValidPercent('abc')).toEqual([
      "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    ]);
  });

  it('reads the number of an int or percentage', () => {
    expect(intOrPercentValue('25%')).toBe(25);
    expect(intOrPercentValue(3)).toBe(3);
    expect(intOrPercentValue('7')).toBe(7);
    expect(intOrPercentValue('abc')).toBe(0);
  });
});

describe('validatePositiveIntOrPercent and isNotMoreThan100Percent', () => {
  const p = path('spec', 'strategy', 'rollingUpdate', 'maxSurge');
  const msgs = (errs: ReturnType<typeof validatePositiveIntOrPercent>): string[] =>
    errs.map(formatFieldError);

  it('accepts non-negative ints and percentages', () => {
    expect(validatePositiveIntOrPercent(0, p)).toEqual([]);
    expect(validatePositiveIntOrPercent(3, p)).toEqual([]);
    expect(validatePositiveIntOrPercent('25%', p)).toEqual([]);
    expect(validateIntOrPercent('0%', p)).toEqual([]);
  });

  it('rejects negatives, non-percent strings and non-integers', () => {
    expect(msgs(validatePositiveIntOrPercent(-1, p))).toEqual([
      'spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0',
    ]);
    expect(msgs(validatePositiveIntOrPercent('abc', p))).toEqual([
      `spec.strategy.rollingUpdate.maxSurge: Invalid value: "abc": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    ]);
    expect(msgs(validateIntOrPercent('-5%', p))).toHaveLength(1);
    expect(msgs(validatePositiveIntOrPercent(1.5, p))).toEqual([
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: 1.5: must be an integer or percentage (e.g '5%')",
    ]);
  });

  it('caps percentages at 100%', () => {
    const mu = path('spec', 'strategy', 'rollingUpdate', 'maxUnavailable');
    expect(isNotMoreThan100Percent('100%', mu)).toEqual([]);
    expect(isNotMoreThan100Percent(150, mu)).toEqual([]);
    expect(isNotMoreThan100Percent('abc', mu)).toEqual([]);
    expect(msgs(isNotMoreThan100Percent('101%', mu))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%',
    ]);
  });
});
