import {
  canonicalQuantity,
  compareQuantities,
  decodeErrorParam,
  milliValue,
  parseQuantity,
  Quantity,
  quantityError,
  quantityFormatError,
  value,
} from './quantity';
import { isStatusError } from './status';

/** value × 10^exponent in nano-units, as upstream's test helper decQuantity(value, exponent, …) means. */
const dec = (v: bigint, exponent: number): bigint =>
  exponent + 9 >= 0 ? v * 10n ** BigInt(exponent + 9) : v / 10n ** BigInt(-(exponent + 9));

describe('parseQuantity', () => {
  // Rows of apimachinery's TestQuantityParse table.
  const table: Array<[string, bigint, string]> = [
    ['0', dec(0n, 0), 'DecimalSI'],
    ['0n', dec(0n, 0), 'DecimalSI'],
    ['0Ki', dec(0n, 0), 'BinarySI'],
    ['0M', dec(0n, 0), 'DecimalSI'],
    ['1', dec(1n, 0), 'DecimalSI'],
    ['1Ki', dec(1024n, 0), 'BinarySI'],
    ['7Mi', dec(7n * 1024n * 1024n, 0), 'BinarySI'],
    ['5Ti', dec(5n * 1024n ** 4n, 0), 'BinarySI'],
    ['3Ei', dec(3n * 1024n ** 6n, 0), 'BinarySI'],
    ['5n', dec(5n, -9), 'DecimalSI'],
    ['4u', dec(4n, -6), 'DecimalSI'],
    ['3m', dec(3n, -3), 'DecimalSI'],
    ['8k', dec(8n, 3), 'DecimalSI'],
    ['50k', dec(5n, 4), 'DecimalSI'],
    ['7M', dec(7n, 6), 'DecimalSI'],
    ['6G', dec(6n, 9), 'DecimalSI'],
    ['2P', dec(2n, 15), 'DecimalSI'],
    ['1E', dec(1n, 18), 'DecimalSI'],
    ['1E-3', dec(1n, -3), 'DecimalExponent'],
    ['1e3', dec(1n, 3), 'DecimalExponent'],
    ['1E6', dec(1n, 6), 'DecimalExponent'],
    ['1e14', dec(1n, 14), 'DecimalExponent'],
    ['100.035k', dec(100035n, 0), 'DecimalSI'],
    ['0.001', dec(1n, -3), 'DecimalSI'],
    ['0.0005k', dec(5n, -1), 'DecimalSI'],
    ['0.5', dec(5n, -1), 'DecimalSI'],
    ['0.50000', dec(5n, -1), 'DecimalSI'],
    ['0.5e-2', dec(5n, -3), 'DecimalExponent'],
    ['10.035M', dec(10035n, 3), 'DecimalSI'],
    ['1.2e3', dec(12n, 2), 'DecimalExponent'],
    ['1.3E+6', dec(13n, 5), 'DecimalExponent'],
    ['7.123456M', dec(7123456n, 0), 'DecimalSI'],
    ['1.01E', dec(101n, 16), 'DecimalSI'],
    ['3.001n', dec(4n, -9), 'DecimalSI'],
    ['1.1E-9', dec(2n, -9), 'DecimalExponent'],
    ['0.0000000001', dec(1n, -9), 'DecimalSI'],
    ['0.5e-9', dec(1n, -9), 'DecimalExponent'],
    ['0.9n', dec(1n, -9), 'DecimalSI'],
    ['0.00000012345', dec(124n, -9), 'DecimalSI'],
    ['9Ei', dec(9223372036854775807n, 0), 'BinarySI'],
    ['9223372036854775807Ki', dec(9223372036854775807n, 0), 'BinarySI'],
    ['12E', dec(12n, 18), 'DecimalSI'],
    ['100.035Ki', dec(10243584n, -2), 'BinarySI'],
    ['0.5Mi', dec(524288n, 0), 'BinarySI'],
    ['0.025Ti', dec(274877906944n, -1), 'BinarySI'],
    ['0.000000000001Ki', dec(2n, -9), 'DecimalSI'],
    ['.001', dec(1n, -3), 'DecimalSI'],
    ['.0001k', dec(100n, -3), 'DecimalSI'],
    ['1.', dec(1n, 0), 'DecimalSI'],
    ['1.G', dec(1n, 9), 'DecimalSI'],
  ];

  it.each(table)('%s', (input, nano, format) => {
    const q = parseQuantity(input);
    expect(q?.nano).toBe(nano);
    expect(q?.format).toBe(format);
    // Upstream reruns the table with an explicit sign: the same value, negated for '-'.
    expect(parseQuantity(`+${input}`)?.nano).toBe(nano);
    expect(parseQuantity(`-${input}`)?.nano).toBe(-nano);
    expect(parseQuantity(`-${input}`)?.format).toBe(format);
  });

  it.each([
    '',
    '1.1.M',
    '1+1.0M',
    '0.1mi',
    '0.1am',
    'aoeu',
    '.5i',
    '1i',
    '-3.01i',
    '-3.01e-',
    ' 1',
    '1 ',
    '1.5.5',
    '1mi',
  ])('rejects %j', (input) => {
    expect(parseQuantity(input)).toBeUndefined();
  });

  it('gives upstream error texts', () => {
    expect(quantityError('')).toBe(quantityFormatError);
    expect(quantityFormatError).toBe(
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
    expect(quantityError('1.5.5')).toBe(quantityFormatError);
    expect(quantityError('32MMi')).toBe("unable to parse quantity's suffix");
    expect(quantityError('1mi')).toBe("unable to parse quantity's suffix");
    expect(quantityError('Pi')).toBe('unable to parse numeric part of quantity');
    expect(quantityError('500m')).toBeUndefined();
  });

  it('accepts what upstream accepts even when it looks odd', () => {
    // ParseQuantity reads a missing number as 0 on its fast path ("Mi" is 0), but not on the slow one ("Pi").
    expect(canonicalQuantity('Mi')).toBe('0');
    expect(canonicalQuantity('-')).toBe('0');
    expect(canonicalQuantity('.')).toBe('0');
  });
});

describe('canonicalQuantity', () => {
  // TestQuantityParseEmit.
  it.each([
    ['1Ki', '1Ki'],
    ['1Mi', '1Mi'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
    expect(canonicalQuantity(`-${input}`)).toBe(`-${expected}`);
  });

  // TestQuantityString's alternates (non-canonical inputs) → the canonical form.
  it.each([
    ['1024Mi', '1Gi'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['5000m', '5'],
    ['0.5', '500m'],
    ['1000M', '1G'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['1000E', '1e21'],
    ['5000E', '5e21'],
    ['1000000E', '1e24'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['00', '0'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });

  // TestQuantityString's canonical strings parse back to themselves.
  it.each([
    '1Gi',
    '300Mi',
    '6Ki',
    '1001Gi',
    '1Ti',
    '5',
    '500m',
    '1G',
    '1m',
    '80m',
    '1080m',
    '300M',
    '1T',
    '1E',
    '1e21',
    '1234567M',
    '1234567m',
    '3k',
    '1025',
    '0',
    '1e9',
    '1e-3',
    '1e-9',
    '80e-3',
    '300e6',
    '1e12',
    '1e3',
    '3e3',
    '1n',
    '80n',
    '1080n',
    '1u',
    '80u',
    '1080u',
  ])('%s is kept', (input) => {
    expect(canonicalQuantity(input)).toBe(input);
  });

  it('keeps the forms the api-server keeps and canonicalizes the others', () => {
    expect(canonicalQuantity('1000m')).toBe('1');
    expect(canonicalQuantity('2000')).toBe('2k');
    expect(canonicalQuantity('1.5Gi')).toBe('1536Mi');
    expect(canonicalQuantity('1.5')).toBe('1500m');
    expect(canonicalQuantity('128Mi')).toBe('128Mi');
    expect(canonicalQuantity('2048Ki')).toBe('2Mi');
    expect(canonicalQuantity('100n')).toBe('100n');
    expect(canonicalQuantity('100u')).toBe('100u');
    expect(canonicalQuantity('10k')).toBe('10k');
    // Already canonical on the parser's fast path, so the text itself is kept — sign and exponent form included.
    expect(canonicalQuantity('129e6')).toBe('129e6');
    expect(canonicalQuantity('1E3')).toBe('1E3');
    expect(canonicalQuantity('+1')).toBe('+1');
    expect(canonicalQuantity('-1')).toBe('-1');
    expect(canonicalQuantity('2e3')).toBe('2e3');
    expect(canonicalQuantity('1e999')).toBe('1e999');
    // An exponent that is not a multiple of three is not canonical.
    expect(canonicalQuantity('1e1000')).toBe('10e999');
    expect(canonicalQuantity('1e4')).toBe('10e3');
  });

  it('throws a 400 for an invalid quantity', () => {
    try {
      canonicalQuantity('abc');
      throw new Error('no error');
    } catch (e) {
      expect(isStatusError(e) && e.status.code).toBe(400);
      expect(isStatusError(e) && e.status.message).toBe(quantityFormatError);
    }
  });
});

describe('values and comparison', () => {
  it('milliValue rounds up (cpu)', () => {
    expect(milliValue('0.5')).toBe(500n);
    expect(milliValue('250m')).toBe(250n);
    expect(milliValue('2')).toBe(2000n);
    expect(milliValue('1n')).toBe(1n);
    expect(milliValue('1500u')).toBe(2n);
    expect(milliValue('-1500u')).toBe(-2n);
  });

  it('value rounds up to whole units (memory)', () => {
    expect(value('128Mi')).toBe(134217728n);
    expect(value('1G')).toBe(1000000000n);
    expect(value('1.5')).toBe(2n);
    expect(value('100m')).toBe(1n);
    expect(value('9Ei')).toBe(9223372036854775807n);
  });

  it('compares as upstream TestQuantityCmp', () => {
    expect(compareQuantities('0', '0')).toBe(0);
    expect(compareQuantities('100m', '50m')).toBe(1);
    expect(compareQuantities('50m', '100m')).toBe(-1);
    expect(compareQuantities('10000T', '100Gi')).toBe(1);
    expect(compareQuantities('1Gi', '1G')).toBe(1);
    expect(compareQuantities('1000m', '1')).toBe(0);
  });
});

describe('Quantity schema', () => {
  it('canonicalizes strings and numbers, trimming spaces', () => {
    expect(Quantity.parse('0.5')).toBe('500m');
    expect(Quantity.parse(0.5)).toBe('500m');
    expect(Quantity.parse(1)).toBe('1');
    expect(Quantity.parse('128Mi')).toBe('128Mi');
    expect(Quantity.parse(' 1 ')).toBe('1');
  });

  it('marks an invalid quantity as a decode error', () => {
    const r = Quantity.safeParse('1.5.5');
    expect(r.success).toBe(false);
    const issue = r.error?.issues[0];
    expect(issue?.message).toBe(quantityFormatError);
    expect(issue?.code === 'custom' && issue.params?.[decodeErrorParam]).toBe(true);
    expect(Quantity.safeParse('32MMi').error?.issues[0]?.message).toBe(
      "unable to parse quantity's suffix",
    );
  });
});
