/**
 * The Redis and NATS that tests run against. REDIS_URL / NATS_URL win; otherwise the local
 * servers on 127.0.0.1. Where neither variable is set and a Docker engine answers, the jest
 * globalSetup in ./jest starts Redis 7 and NATS 2.10 (JetStream on) in containers once per
 * run and exports their URLs through those same variables to the workers.
 */
import { spawnSync } from 'node:child_process';

export interface TestServices {
  redisUrl: string;
  natsUrl: string;
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export function testServices(env: NodeJS.ProcessEnv = process.env): TestServices {
  return {
    redisUrl: env['REDIS_URL'] || DEFAULT_REDIS_URL,
    natsUrl: env['NATS_URL'] || DEFAULT_NATS_URL,
  };
}

/** `docker info` succeeds: a client is installed and an engine answers it. */
export function dockerAvailable(): boolean {
  const r = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

export interface StartedServices extends TestServices {
  stop(): Promise<void>;
}

/**
 * Starts Redis 7 (no persistence) and NATS 2.10 with JetStream through testcontainers.
 * testcontainers is imported here and only here, so it is never loaded without Docker.
 */
export async function startServiceContainers(): Promise<StartedServices> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const redis = await new GenericContainer('redis:7')
    .withCommand(['redis-server', '--save', '', '--appendonly', 'no'])
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .start();
  try {
    const nats = await new GenericContainer('nats:2.10')
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start();
    return {
      redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
      natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
      async stop() {
        await Promise.all([nats.stop(), redis.stop()]);
      },
    };
  } catch (err) {
    await redis.stop();
    throw err;
  }
}
