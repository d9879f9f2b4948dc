/**
 * How `up` chooses between a running Redis/NATS and servers of the cluster's own. The probes
 * are real: the shared test Redis and NATS stand for "something answers", a free loopback port
 * for "nothing there"; fake executables in a temporary directory stand for installed binaries.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { testServices } from '@kubeling/testing';
import { CliError } from './errors';
import type { ResolveRequest } from './localServers';
import {
  INSTALL_HINT,
  binaryDirs,
  defaultUrls,
  findExecutable,
  natsServerArgs,
  redisServerArgs,
  resolveBackends,
} from './localServers';
import { freePort, portAllocator } from './ports';
import { clusterPaths } from './state';

const services = testServices();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-local-servers-'));
const bin = path.join(tmp, 'bin');
const empty = path.join(tmp, 'empty');
const paths = clusterPaths(path.join(tmp, 'home'), 'lab');

beforeAll(() => {
  fs.mkdirSync(bin);
  fs.mkdirSync(empty);
  for (const name of ['redis-server', 'nats-server'])
    fs.writeFileSync(path.join(bin, name), '#!/bin/sh\n', { mode: 0o755 });
  // Present but not executable: not an installed binary.
  fs.writeFileSync(path.join(empty, 'redis-server'), '', { mode: 0o644 });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function nothingThere(): Promise<{ redis: string; nats: string }> {
  return {
    redis: `redis://127.0.0.1:${await freePort()}`,
    nats: `nats://127.0.0.1:${await freePort()}`,
  };
}

function request(over: Partial<ResolveRequest>): ResolveRequest {
  return {
    cluster: 'lab',
    previous: [],
    defaults: { redis: services.redisUrl, nats: services.natsUrl },
    paths,
    binDirs: [bin],
    allocatePort: portAllocator(),
    ...over,
  };
}

async function failure(req: ResolveRequest): Promise<CliError> {
  try {
    await resolveBackends(req);
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected resolveBackends to fail');
}

describe('resolveBackends', () => {
  it('uses what answers on the defaults and starts nothing', async () => {
    expect(await resolveBackends(request({}))).toEqual({
      redisUrl: services.redisUrl,
      natsUrl: services.natsUrl,
      start: [],
    });
  });

  it('starts its own redis-server and nats-server when nothing answers', async () => {
    const b = await resolveBackends(request({ defaults: await nothingThere() }));
    const [redis, nats] = b.start;
    expect(b.start.map((s) => s.name)).toEqual(['redis-server', 'nats-server']);
    expect(redis?.binary).toBe(path.join(bin, 'redis-server'));
    expect(b.redisUrl).toBe(`redis://127.0.0.1:${redis?.port}`);
    expect(b.natsUrl).toBe(`nats://127.0.0.1:${nats?.port}`);
    expect(redis?.port).not.toBe(nats?.port);
    expect(redis?.dataDir).toBe(path.join(paths.dir, 'data', 'redis'));
    expect(nats?.dataDir).toBe(path.join(paths.dir, 'data', 'nats'));
    expect(redis?.args).toEqual(redisServerArgs(redis?.port ?? 0, redis?.dataDir ?? ''));
    expect(nats?.args).toEqual(natsServerArgs(nats?.port ?? 0, nats?.dataDir ?? '', 'lab'));
  });

  it('starts only the one that is missing', async () => {
    const { nats } = await nothingThere();
    const b = await resolveBackends(request({ defaults: { redis: services.redisUrl, nats } }));
    expect(b.redisUrl).toBe(services.redisUrl);
    expect(b.start.map((s) => s.name)).toEqual(['nats-server']);
  });

  it('never replaces a URL the user gave: unreachable is an error, and nothing is started', async () => {
    const { redis } = await nothingThere();
    const err = await failure(request({ redisUrl: redis, defaults: await nothingThere() }));
    expect(err.message).toMatch(new RegExp(`^cannot reach Redis at ${redis}: `));
  });

  it('gives a cluster stopped with its own servers those servers again, even where a default answers', async () => {
    const b = await resolveBackends(request({ previous: ['redis-server'] }));
    expect(b.start.map((s) => s.name)).toEqual(['redis-server']);
    expect(b.natsUrl).toBe(services.natsUrl);
  });

  it('gives a cluster stopped on a Redis and NATS it did not own the same URLs again', async () => {
    const defaults = await nothingThere();
    const b = await resolveBackends(
      request({
        defaults,
        previousUrls: { redis: services.redisUrl, nats: services.natsUrl },
      }),
    );
    expect(b).toEqual({ redisUrl: services.redisUrl, natsUrl: services.natsUrl, start: [] });
    // A URL given now wins over the recorded one, and is checked like any given URL.
    const err = await failure(
      request({ defaults, redisUrl: defaults.redis, previousUrls: { redis: services.redisUrl } }),
    );
    expect(err.message).toMatch(/^cannot reach Redis at /);
  });

  it('says in one line how to install what is missing', async () => {
    const defaults = await nothingThere();
    const both = await failure(request({ defaults, binDirs: [empty] }));
    expect(both.message).toBe(
      `no Redis or NATS to use: nothing answers at ${defaults.redis} or ${defaults.nats}, and ` +
        'redis-server and nats-server are not installed, so kubeling cannot start them for the cluster',
    );
    expect(both.hint).toBe(INSTALL_HINT);
    expect(INSTALL_HINT).toContain('sudo apt-get install redis-server nats-server');
    expect(INSTALL_HINT).toContain('brew install redis nats-server');
    expect(INSTALL_HINT).not.toContain('\n');

    const one = await failure(
      request({ defaults: { redis: defaults.redis, nats: services.natsUrl }, binDirs: [] }),
    );
    expect(one.message).toBe(
      `no Redis to use: nothing answers at ${defaults.redis}, and redis-server is not installed, ` +
        'so kubeling cannot start one for the cluster',
    );
  });
});

describe('finding the binaries', () => {
  it('searches PATH, then the extra directories, and skips files that are not executable', () => {
    const dirs = binaryDirs({ PATH: [empty, '', tmp].join(path.delimiter) }, [bin]);
    expect(dirs).toEqual([empty, tmp, bin]);
    expect(findExecutable('redis-server', dirs)).toBe(path.join(bin, 'redis-server'));
    expect(findExecutable('redis-server', [empty])).toBeUndefined();
    expect(findExecutable('bin', [tmp])).toBeUndefined(); // a directory is not a program
  });

  it('probes the defaults unless KUBELING_DEFAULT_*_URL moves them', () => {
    expect(defaultUrls({})).toEqual({
      redis: 'redis://127.0.0.1:6379',
      nats: 'nats://127.0.0.1:4222',
    });
    expect(
      defaultUrls({
        KUBELING_DEFAULT_REDIS_URL: 'redis://127.0.0.1:1',
        KUBELING_DEFAULT_NATS_URL: 'nats://127.0.0.1:2',
      }),
    ).toEqual({ redis: 'redis://127.0.0.1:1', nats: 'nats://127.0.0.1:2' });
  });
});
