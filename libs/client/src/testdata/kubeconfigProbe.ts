/**
 * Run by kubeconfig.spec.ts through tsx (client-node is ESM-only, which jest's CommonJS runtime
 * cannot load): builds a client from a kubeconfig and GETs the default namespace, printing one
 * JSON line, `{ body }` or `{ error }`.
 *
 *   node --import tsx kubeconfigProbe.ts KUBECONFIG [CONTEXT]
 */
import { Client } from '../client';
import { connectFromFlags } from '../connect';
import { kubeconfigHttpOptions } from '../kubeconfig';
import { HttpTransport } from '../transport/http';

async function main(): Promise<void> {
  const [file, context] = process.argv.slice(2);
  if (!file) throw new Error('usage: kubeconfigProbe.ts KUBECONFIG [CONTEXT]');
  // Without a context: the way components do it (--kubeconfig).
  const client =
    context === undefined
      ? await connectFromFlags({ kubeconfig: file })
      : new Client({
          transport: new HttpTransport(await kubeconfigHttpOptions(file, { context })),
        });
  try {
    const body = await client.request({
      verb: 'get',
      group: '',
      version: 'v1',
      resource: 'namespaces',
      name: 'default',
    });
    process.stdout.write(`${JSON.stringify({ body })}\n`);
  } finally {
    await client.close();
  }
}

main().catch((err: unknown) => {
  process.stdout.write(
    `${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`,
  );
});
