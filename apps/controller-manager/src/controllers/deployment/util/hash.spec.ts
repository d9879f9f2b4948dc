import type { PodTemplateSpec } from '@kubeling/api';
import { canonicalJson, computeHash, fnv32a, safeEncodeString } from './hash';

const bytes = (s: string) => new TextEncoder().encode(s);
const template = (image: string): PodTemplateSpec =>
  ({
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image }] },
  }) as PodTemplateSpec;

describe('pod-template-hash', () => {
  it('fnv32a: the published FNV-1a test vectors', () => {
    expect(fnv32a(bytes(''))).toBe(0x811c9dc5);
    expect(fnv32a(bytes('a'))).toBe(0xe40c292c);
    expect(fnv32a(bytes('foobar'))).toBe(0xbf9cf968);
  });

  it('SafeEncodeString maps every character into the vowel-free alphabet', () => {
    // '0' is 48: 48 % 27 = 21 → '4'; '9' is 57 → 57 % 27 = 3 → 'f'.
    expect(safeEncodeString('09')).toBe('4f');
    expect(computeHash(template('nginx'))).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('is a function of the template, not of key order; collisionCount changes it', () => {
    const a = template('nginx');
    const b = {
      spec: { containers: [{ image: 'nginx', name: 'c' }] },
      metadata: { labels: { app: 'web' } },
    } as PodTemplateSpec;
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(computeHash(a)).toBe(computeHash(b));
    expect(computeHash(a)).not.toBe(computeHash(template('nginx:2')));
    expect(computeHash(a, 1)).not.toBe(computeHash(a));
    expect(computeHash(a, 1)).not.toBe(computeHash(a, 2));
  });
});
