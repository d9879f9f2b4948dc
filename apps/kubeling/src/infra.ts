/**
 * What `up` and `down` need from the shared Redis and NATS: a reachability check before
 * anything starts, and the removal of one cluster's keys. Every cluster keeps its keys under
 * `kubeling:<name>:` so several clusters share one Redis; removal is SCAN + UNLINK of that
 * prefix only — never FLUSHALL/FLUSHDB, which would wipe the other clusters.
 */
import Redis from 'ioredis';
import { connect } from 'nats';
import { clusterPrefix, deleteKeysWithPrefix } from '@kubeling/store';
import { CliError, errorMessage } from './errors';

export function redisPrefix(cluster: string): string {
  return clusterPrefix(cluster);
}

function redisClient(url: string): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null, // fail fast: a CLI reports, it does not wait for Redis to come back
    // After a failed connect ioredis keeps a timer this long for a socket that never opened,
    // which would hold the CLI's exit (and a probe of an empty port) for 2 s by default.
    disconnectTimeout: 100,
  });
  client.on('error', () => undefined); // surfaced through the rejected commands instead
  return client;
}

async function withRedis<T>(url: string, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = redisClient(url);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

export async function checkRedis(url: string): Promise<void> {
  try {
    await withRedis(url, (c) => c.ping());
  } catch (err) {
    throw new CliError(`cannot reach Redis at ${url}: ${errorMessage(err)}`);
  }
}

export async function checkNats(url: string): Promise<void> {
  try {
    await pingNats(url);
  } catch (err) {
    throw new CliError(`cannot reach NATS at ${url}: ${errorMessage(err)}`);
  }
}

async function pingNats(url: string): Promise<void> {
  const nc = await connect({
    servers: url.split(','),
    timeout: 3000,
    reconnect: false,
    name: 'kubeling-cli',
  });
  await nc.close();
}

/** Whether a Redis answers PING at url (a probe: false instead of an error). */
export async function redisAnswers(url: string): Promise<boolean> {
  try {
    await withRedis(url, (c) => c.ping());
    return true;
  } catch {
    return false;
  }
}

/** Whether a NATS server accepts a connection at url. */
export async function natsAnswers(url: string): Promise<boolean> {
  try {
    await pingNats(url);
    return true;
  } catch {
    return false;
  }
}

/** Deletes every key of the cluster; returns how many were removed. */
export async function deleteClusterKeys(url: string, cluster: string): Promise<number> {
  return withRedis(url, (client) => deleteKeysWithPrefix(client, clusterPrefix(cluster)));
}
