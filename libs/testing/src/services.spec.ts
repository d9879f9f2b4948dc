import { dockerAvailable, testServices } from './services';

describe('testServices', () => {
  it('reads REDIS_URL and NATS_URL', () => {
    expect(testServices({ REDIS_URL: 'redis://r:1', NATS_URL: 'nats://n:2' })).toEqual({
      redisUrl: 'redis://r:1',
      natsUrl: 'nats://n:2',
    });
  });

  it('defaults to the local servers', () => {
    expect(testServices({})).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      natsUrl: 'nats://127.0.0.1:4222',
    });
    expect(testServices({ REDIS_URL: '' })).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379' });
  });
});

describe('dockerAvailable', () => {
  it('answers whether `docker info` succeeds', () => {
    // On this project's machines there is a docker client but no engine; either way it must
    // return a boolean quickly rather than throw.
    expect(typeof dockerAvailable()).toBe('boolean');
  });
});
