/**
 * A leader-election candidate as its own process, for leaderElection.e2e.spec.ts:
 *   node --import tsx candidate.ts <cluster> <nats-url> <identity> <lease ms> <renew ms> <retry ms>
 * Prints `started <id> <epoch ms>` / `stopped <id> <epoch ms>` / `leader <holder>`; SIGTERM
 * stops it cleanly (releasing the Lease), SIGKILL is a crash.
 */
import { Client, LeaderElector, NatsTransport } from '@kubeling/client';

async function main(): Promise<void> {
  const [cluster, natsUrl, id, lease, renew, retry] = process.argv.slice(2);
  const client = new Client({
    transport: await NatsTransport.connect({ cluster: cluster!, natsUrl: natsUrl! }),
  });
  const elector = new LeaderElector({
    client,
    identity: id!,
    leaseNamespace: 'kube-system',
    leaseName: 'e2e-candidates',
    leaseDurationMs: Number(lease),
    renewDeadlineMs: Number(renew),
    retryPeriodMs: Number(retry),
    onStartedLeading: () => console.log(`started ${id} ${Date.now()}`),
    onStoppedLeading: () => console.log(`stopped ${id} ${Date.now()}`),
    onNewLeader: (who) => console.log(`leader ${who}`),
  });
  const running = elector.run();
  console.log('ready');
  process.on('SIGTERM', () => {
    void elector
      .stop()
      .then(() => client.close())
      .then(() => process.exit(0));
  });
  await running;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
