/**
 * @kubernetes/client-node's Exec, Log and PortForward against a cluster (the package is
 * ESM-only, so kubectl.e2e.spec.ts runs this through tsx). Prints one JSON line of results.
 *
 *   node --import tsx clientNode.mts <kubeconfig> <pod> <container> <remotePort>
 */
import { PassThrough, Readable, Writable } from 'node:stream';
import { Exec, KubeConfig, Log, PortForward } from '@kubernetes/client-node';

const [kubeconfig, pod, container, remotePort] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const loaded = new KubeConfig();
loaded.loadFromFile(kubeconfig);
// client-node 1.x refuses plain-HTTP servers unless skipTLSVerify is set (a client-side rule).
const kc = new KubeConfig();
kc.loadFromOptions({
  clusters: loaded.clusters.map((c) => ({ ...c, skipTLSVerify: true })),
  users: loaded.users,
  contexts: loaded.contexts,
  currentContext: loaded.currentContext,
});

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

async function exec(command: string[], stdin?: string) {
  const out = sink();
  const err = sink();
  const input = stdin === undefined ? null : Readable.from([Buffer.from(stdin)]);
  const status = await new Promise<unknown>((resolve, reject) => {
    new Exec(kc)
      .exec('default', pod, container, command, out.stream, err.stream, input, false, resolve)
      .catch(reject);
  });
  return { stdout: out.text(), stderr: err.text(), status };
}

async function log() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text += b.toString()));
  const ended = new Promise((r) => out.on('end', r));
  await new Log(kc).log('default', pod, container, out, { tailLines: 2 });
  await ended;
  return text;
}

async function portForward() {
  const out = sink();
  const err = sink();
  const input = new PassThrough();
  const ws = (await new PortForward(kc).portForward(
    'default',
    pod,
    [Number(remotePort)],
    out.stream,
    err.stream,
    input,
  )) as { on(ev: 'close', f: () => void): void };
  const closed = new Promise<void>((r) => ws.on('close', r));
  input.write('GET /via-client-node HTTP/1.0\r\n\r\n');
  await closed;
  return { response: out.text(), error: err.text() };
}

// Progress on stderr: a hang shows where it stopped.
const step = async <T,>(name: string, f: () => Promise<T>): Promise<T> => {
  console.error(`${name}...`);
  const v = await f();
  console.error(`${name}: ${JSON.stringify(v)}`);
  return v;
};
const result = {
  exec: await step('exec', () => exec(['sh', '-c', 'echo hi; exit 3'])),
  execStdin: await step('exec stdin', () => exec(['cat'], 'from stdin')),
  log: await step('log', log),
  portForward: await step('portForward', portForward),
};
console.log(JSON.stringify(result));
process.exit(0);
