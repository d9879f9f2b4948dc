import Redis from 'ioredis';
import { deleteRedisPrefix, uniqueName, uniquePrefix } from './redis';
import { testServices } from './services';

describe('uniqueName / uniquePrefix', () => {
  it('makes distinct DNS-label names that kubeling up accepts', () => {
    const names = new Set(Array.from({ length: 200 }, () => uniqueName('Store Watch_Test!')));
    expect(names.size).toBe(200);
    for (const n of names) {
      expect(n).toMatch(/^t-store-watch-test-[a-z0-9]+$/);
      expect(n.length).toBeLessThanOrEqual(50);
    }
    expect(uniqueName('x'.repeat(80)).length).toBeLessThanOrEqual(50);
    expect(uniqueName('***')).toMatch(/^t-x-/);
  });

  it('gives the key prefix a cluster of that name owns', () => {
    expect(uniquePrefix('store')).toMatch(/^kubeling:t-store-[a-z0-9]+:$/);
  });
});

describe('deleteRedisPrefix', () => {
  const { redisUrl } = testServices();
  const redis = new Redis(redisUrl, { lazyConnect: true });
  const prefix = uniquePrefix('del');
  const neighbour = `${prefix.slice(0, -1)}x:key`; // same start, different prefix
  const globby = `${prefix}[a]*?:`; // a prefix holding SCAN MATCH glob characters

  beforeAll(() => redis.connect());
  afterAll(async () => {
    await redis.del(neighbour, `${prefix}a-x:k`, `${globby}k`);
    redis.disconnect();
  });

  it('deletes exactly the keys under the prefix, however many', async () => {
    const keys = Array.from({ length: 1200 }, (_, i) => `${prefix}obj/${i}`);
    await redis.mset(...keys.flatMap((k) => [k, 'v']));
    await redis.set(neighbour, 'keep');
    expect(await deleteRedisPrefix(redisUrl, prefix)).toBe(1200);
    expect(await redis.exists(...keys.slice(0, 50))).toBe(0);
    expect(await redis.get(neighbour)).toBe('keep');
    expect(await deleteRedisPrefix(redisUrl, prefix)).toBe(0);
  });

  it('treats glob characters in the prefix literally', async () => {
    await redis.set(`${globby}k`, '1');
    await redis.set(`${prefix}a-x:k`, '1'); // "<prefix>[a]*?:*" would match this if not escaped
    expect(await deleteRedisPrefix(redisUrl, globby)).toBe(1);
    expect(await redis.get(`${prefix}a-x:k`)).toBe('1');
  });

  it('refuses an empty prefix (it would delete everything)', async () => {
    await expect(deleteRedisPrefix(redisUrl, '')).rejects.toThrow(/non-empty/);
  });
});
