import type { ConfigMap } from '@kubeling/api';
import { configMapKind } from '@kubeling/api';
import { createRegistry } from '@kubeling/runtime';
import { Client } from './client';
import { meteredTransport } from './metrics';
import { FakeApiServer } from './testing/fakeApiServer';
import type { Transport } from './transport/types';

describe('rest_client metrics', () => {
  it('counts each request by code, method and host, and times it by verb', async () => {
    const registry = createRegistry({ defaultMetrics: false });
    const client = new Client({
      transport: meteredTransport(new FakeApiServer(), { registry, host: 'nats/dev' }),
    });
    const cms = client.resource(configMapKind).namespace('default');
    await cms.create({ metadata: { name: 'a' } } as ConfigMap);
    await cms.get('a');
    await expect(cms.get('missing')).rejects.toThrow('not found');
    const w = await cms.watch();
    w.stop();
    const text = await registry.metrics();
    expect(text).toContain(
      'rest_client_requests_total{code="201",method="POST",host="nats/dev"} 1',
    );
    expect(text).toContain('rest_client_requests_total{code="200",method="GET",host="nats/dev"} 2');
    expect(text).toContain('rest_client_requests_total{code="404",method="GET",host="nats/dev"} 1');
    expect(text).toContain(
      'rest_client_request_duration_seconds_count{verb="GET",host="nats/dev"} 3',
    );
    expect(text).toContain(
      'rest_client_request_duration_seconds_count{verb="POST",host="nats/dev"} 1',
    );
  });

  it('counts a request that got no answer as <error>, and shares series between clients', async () => {
    const registry = createRegistry({ defaultMetrics: false });
    const broken: Transport = {
      request: () => Promise.reject(new Error('socket hang up')),
      watch: () => Promise.reject(new Error('socket hang up')),
      close: async () => {},
    };
    const one = new Client({ transport: meteredTransport(broken, { registry, host: 'h:1' }) });
    const two = new Client({ transport: meteredTransport(broken, { registry, host: 'h:1' }) });
    await expect(one.resource(configMapKind).list()).rejects.toThrow('socket hang up');
    await expect(two.resource(configMapKind).list()).rejects.toThrow('socket hang up');
    expect(await registry.metrics()).toContain(
      'rest_client_requests_total{code="<error>",method="GET",host="h:1"} 2',
    );
  });
});
