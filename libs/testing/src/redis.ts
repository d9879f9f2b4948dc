/** Isolation on the shared Redis: every test works under its own key prefix and deletes it. */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { clusterPrefix, deleteKeysWithPrefix } from '@kubeling/store';

/**
 * A cluster name no other test uses: `t-<tag>-<random>`, a DNS label (lower case, digits, "-")
 * of at most 50 characters, so it is valid for `kubeling up --name` too.
 */
export function uniqueName(tag: string): string {
  const clean = tag
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30);
  return `t-${clean || 'x'}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * A Redis key prefix no other test uses. It is the prefix a cluster named uniqueName(tag)
 * would own (`kubeling:<name>:`), so code that derives keys from a cluster name fits it.
 */
export function uniquePrefix(tag: string): string {
  return clusterPrefix(uniqueName(tag));
}

/** Deletes every key starting with prefix (SCAN + UNLINK; never FLUSHALL); returns the count. */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  if (prefix.length === 0) throw new Error('deleteRedisPrefix needs a non-empty prefix');
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await deleteKeysWithPrefix(client, prefix);
  } finally {
    client.disconnect();
  }
}
