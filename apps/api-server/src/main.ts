/**
 * kube-apiserver for kubeling: parse flags → connect store and bus → serve → stop on SIGTERM.
 * Run alone against a running cluster:
 *   node --inspect --import tsx apps/api-server/src/main.ts --cluster-name <name> --port <port>
 */
import { parseConfig } from './config';
import { startApiServer } from './app';
import { createLogger } from './log';

async function main(): Promise<void> {
  const config = parseConfig(process.argv.slice(2));
  const log = createLogger('api-server', config.logLevel);
  const server = await startApiServer(config, log);
  log.info('serving', { url: server.url, cluster: config.clusterName, id: config.id });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error('unclean stop', { error: String(e) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`api-server: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
