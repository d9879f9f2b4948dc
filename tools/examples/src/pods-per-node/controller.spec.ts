/** The controller against the in-memory FakeApiServer: fast, no cluster needed. */
import type { ConfigMap, Pod } from '@kubeling/api';
import { Client, SharedInformerFactory } from '@kubeling/client';
import { FakeApiServer } from '@kubeling/client/testing';
import { NAME, PodsPerNodeController } from './controller';

const pod = (name: string, nodeName?: string): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
  }) as Pod;

async function eventually(check: () => void, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

describe('PodsPerNodeController', () => {
  it('keeps the ConfigMap equal to the pod count per node', async () => {
    const server = new FakeApiServer();
    server.put('pods', pod('a', 'n1'));
    server.put('pods', pod('b', 'n1'));
    server.put('pods', pod('c', 'n2'));
    server.put('pods', pod('pending'));
    const client = new Client({ transport: server });
    const factory = new SharedInformerFactory({ client });
    const stop = new AbortController();
    const controller = new PodsPerNodeController(client, factory, 'kube-system');
    factory.start();
    const running = controller.run(stop.signal);
    const data = () =>
      server.stored<ConfigMap>('configmaps').find((c) => c.metadata.name === NAME)?.data;

    await eventually(() => expect(data()).toEqual({ n1: '2', n2: '1' }));
    server.remove('pods', 'default', 'a');
    server.put('pods', pod('pending', 'n3'));
    await eventually(() => expect(data()).toEqual({ n1: '1', n2: '1', n3: '1' }));
    // Someone edits the ConfigMap by hand: it is put back.
    const cm = server.stored<ConfigMap>('configmaps')[0]!;
    server.put('configmaps', { ...cm, data: { bogus: '9' } });
    await eventually(() => expect(data()).toEqual({ n1: '1', n2: '1', n3: '1' }));
    // Deleted: recreated.
    server.remove('configmaps', 'kube-system', NAME);
    await eventually(() => expect(data()).toEqual({ n1: '1', n2: '1', n3: '1' }));

    stop.abort();
    await running;
    await factory.shutdown();
  });
});
