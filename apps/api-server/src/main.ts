/**
 * kube-apiserver for kubeling: parse flags → connect store and bus → serve → stop on SIGTERM.
 * Run alone against a running cluster:
 *   node --inspect --import tsx apps/api-server/src/main.ts --cluster-name <name> --port <port>
 * `--help` lists every flag; runMain decides the exit code (0 after a clean stop, 1 on errors).
 */
import { createLogger, runMain, setDefaultLogger, untilAborted } from '@kubeling/runtime';
import { startApiServer } from './app';
import { parseConfig } from './config';

runMain('api-server', async (signal) => {
  const config = parseConfig(process.argv.slice(2));
  const log = createLogger({
    name: 'api-server',
    verbosity: config.v,
    format: config.loggingFormat,
  });
  setDefaultLogger(log);
  const server = await startApiServer(config, log);
  log.info('serving', { url: server.url, cluster: config.clusterName, id: config.id });
  await untilAborted(signal);
  log.info('stopping');
  await server.stop();
});
