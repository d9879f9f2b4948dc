/**
 * Leader election between candidate PROCESSES over NATS against a real cluster: a crashed
 * (SIGKILLed) leader is replaced within the lease duration (plus the retry jitter the protocol
 * allows), and a cleanly stopped one hands over at once by releasing the Lease.
 */
import type { Lease } from '@kubeling/api';
import { leaseKind } from '@kubeling/api';
import type { Client } from '@kubeling/client';
import type { TestCluster } from '@kubeling/testing';
import { startCluster, testServices } from '@kubeling/testing';
import type { ScriptProcess } from './support';
import { killScripts, natsClient, spawnScript } from './support';

const LEASE = 3000;
const RENEW = 2000;
const RETRY = 500;
/** One jittered retry period (wait.JitterUntil with factor 1.2). */
const JITTERED_RETRY = RETRY * 2.2;

let cluster: TestCluster;
let client: Client;

beforeAll(async () => {
  cluster = await startCluster({ apiServers: 2, nodes: 0 });
  client = await natsClient(cluster);
}, 120_000);

afterAll(async () => {
  await client?.close();
  await killScripts();
  await cluster?.down();
}, 60_000);

function candidate(id: string): ScriptProcess {
  return spawnScript('tools/examples/src/e2e/candidate.ts', [
    cluster.name,
    testServices().natsUrl,
    id,
    String(LEASE),
    String(RENEW),
    String(RETRY),
  ]);
}

const lease = () =>
  client.resource(leaseKind).namespace('kube-system').get('e2e-candidates') as Promise<Lease>;

async function startedAt(p: ScriptProcess, id: string, ms = 30_000): Promise<number> {
  return Number((await p.waitFor(new RegExp(`started ${id} (\\d+)`), ms))[1]);
}

it('a standby takes over within the lease duration when the leader is killed -9', async () => {
  const a = candidate('crash-a');
  await startedAt(a, 'crash-a');
  const b = candidate('crash-b');
  await b.waitFor(/leader crash-a/);
  // b has been watching a renew for a while.
  await new Promise((r) => setTimeout(r, 2 * LEASE));
  expect(b.output()).not.toMatch(/started crash-b/);
  const before = await lease();
  expect(before.spec.holderIdentity).toBe('crash-a');

  const killedAt = Date.now();
  await a.kill('SIGKILL');
  const took = (await startedAt(b, 'crash-b', 3 * LEASE)) - killedAt;
  // The Lease expires leaseDuration after b last saw it renewed (at most one jittered retry
  // before the kill), and b notices at its next jittered retry.
  expect(took).toBeLessThanOrEqual(LEASE + 2 * JITTERED_RETRY);
  const after = await lease();
  expect(after.spec).toMatchObject({
    holderIdentity: 'crash-b',
    leaseTransitions: (before.spec.leaseTransitions ?? 0) + 1,
  });
  await b.kill('SIGTERM');
}, 90_000);

it('a clean shutdown hands over at once', async () => {
  const a = candidate('clean-a');
  await startedAt(a, 'clean-a');
  const b = candidate('clean-b');
  await b.waitFor(/leader clean-a/);
  const stoppedAt = Date.now();
  await a.kill('SIGTERM');
  expect(a.output()).toMatch(/stopped clean-a/);
  const released = await lease().catch(() => undefined);
  // Either b already took it, or it is still released (no holder).
  expect(['clean-b', undefined]).toContain(released?.spec.holderIdentity);
  const took = (await startedAt(b, 'clean-b', 3 * LEASE)) - stoppedAt;
  // Far below the lease duration: one jittered retry, plus process overhead.
  expect(took).toBeLessThan(JITTERED_RETRY + 1000);
  expect(took).toBeLessThan(LEASE);
  await b.kill('SIGTERM');
}, 90_000);
