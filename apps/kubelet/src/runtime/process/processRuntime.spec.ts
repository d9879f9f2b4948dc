/**
 * The process runtime with real processes (no cluster: a FakeApiServer answers the env and
 * volume lookups): a container's CRI log, exec with its env and exit code, port-forward to its
 * pod IP, stop with SIGTERM, and adoption by a second runtime instance (a restarted kubelet).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Pod } from '@kubeling/api';
import { Client } from '@kubeling/client';
import { FakeApiServer } from '@kubeling/client/testing';
import { silentLogger } from '@kubeling/runtime';
import type { ContainerContext } from '../runtime';
import { loadCatalogue } from './images/catalogue';
import { ProcessRuntime } from './processRuntime';

const podIP = '127.244.250.7';
const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'rt', namespace: 'default', uid: `uid-rt-${process.pid}` },
  spec: {
    nodeName: 'n1',
    containers: [
      {
        name: 'sh',
        image: 'busybox',
        command: ['sh', '-c', 'echo hello; echo oops >&2; exec sleep 30'],
        env: [{ name: 'X', value: 'y' }],
      },
      {
        name: 'web',
        image: 'nginxdemos/hello:plain-text',
        env: [{ name: 'PORT', value: '18081' }],
      },
    ],
  },
} as Pod;

let root: string;
let client: Client;
const runtime = () =>
  new ProcessRuntime({
    client,
    log: silentLogger,
    rootDir: root,
    catalogue: loadCatalogue(undefined),
    lookupPod: (ns, name) => (ns === 'default' && name === 'rt' ? pod : undefined),
  });
const ctx = (i: number): ContainerContext => ({
  pod,
  container: pod.spec.containers[i]!,
  kind: 'regular',
  restartCount: 0,
  podIP,
  nodeName: 'n1',
  nodeIP: '127.0.1.1',
});

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelet-process-'));
  client = new Client({ transport: new FakeApiServer(), qps: -1 });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function text(it: AsyncIterable<Buffer>): Promise<string> {
  let s = '';
  for await (const b of it) s += b.toString();
  return s;
}

it('runs containers as processes: logs, exec, port-forward, adoption, stop', async () => {
  const rt = runtime();
  await expect(
    rt.pullImage({ ...ctx(0), container: { name: 'x', image: 'nope/nope' } }),
  ).rejects.toMatchObject({ reason: 'ErrImagePull' });
  await rt.pullImage(ctx(0));
  await rt.createSandbox(pod, podIP, 'n1');
  const sh = await rt.startContainer(ctx(0));
  const web = await rt.startContainer(ctx(1));
  expect(sh.id).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
  try {
    const never = new AbortController().signal;
    // The log, once both lines were written.
    let log = '';
    for (let i = 0; i < 50 && !log.includes('oops'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      log = await text(
        rt.streaming.logs(
          { namespace: 'default', name: 'rt' },
          { container: 'sh', follow: false, previous: false, timestamps: false },
          never,
        ),
      );
    }
    expect(log.split('\n').sort()).toEqual(['', 'hello', 'oops']);
    await expect(
      (async () =>
        text(
          rt.streaming.logs(
            { namespace: 'default', name: 'rt' },
            { container: 'sh', follow: false, previous: true, timestamps: false },
            never,
          ),
        ))(),
    ).rejects.toMatchObject({
      status: { code: 400, message: 'previous terminated container "sh" in pod "rt" not found' },
    });
    await expect(
      (async () =>
        text(
          rt.streaming.logs(
            { namespace: 'default', name: 'gone' },
            { container: 'sh', follow: false, previous: false, timestamps: false },
            never,
          ),
        ))(),
    ).rejects.toMatchObject({ status: { code: 404 } });

    // exec: the container's env, stdout/stderr apart, the exit code passed through.
    const out = new PassThrough();
    const err = new PassThrough();
    let o = '';
    let e = '';
    out.on('data', (d: Buffer) => (o += d.toString()));
    err.on('data', (d: Buffer) => (e += d.toString()));
    const r = await rt.streaming.exec(
      { namespace: 'default', name: 'rt' },
      {
        container: 'sh',
        command: ['sh', '-c', 'echo $X $HOSTNAME; echo bad >&2; exit 7'],
        tty: false,
        stdin: false,
        stdout: true,
        stderr: true,
      },
      { stdout: out, stderr: err, signal: never },
    );
    expect(r.exitCode).toBe(7);
    expect(o).toBe('y rt\n');
    expect(e).toBe('bad\n');

    // port-forward: a TCP connection to the pod IP's port, here nginxdemos/hello.
    let sock;
    for (let i = 0; i < 50; i++) {
      try {
        sock = await rt.streaming.portForward({ namespace: 'default', name: 'rt' }, 18081, never);
        break;
      } catch {
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    expect(sock).toBeDefined();
    const answer = await new Promise<string>((resolve) => {
      let s = '';
      sock!.on('data', (d: Buffer) => (s += d.toString()));
      sock!.on('end', () => resolve(s));
      sock!.write('GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    });
    expect(answer).toMatch(/Server address: 127\.244\.250\.7:18081\nServer name: rt\n/);
    expect(answer).toMatch(/URI: \/x\n/);

    // A second runtime on the same directory (a restarted kubelet) adopts both containers.
    const again = runtime();
    const adopted = await again.adopt();
    expect(adopted).toHaveLength(1);
    expect(adopted[0]?.containers.map((c) => c.name).sort()).toEqual(['sh', 'web']);
    expect(adopted[0]?.containers.map((c) => c.running.pid).sort()).toEqual(
      [sh.pid, web.pid].sort(),
    );
  } finally {
    const [a, b] = await Promise.all([sh.stop(5000), web.stop(5000)]);
    // sleep dies of SIGTERM (143); the hello server exits 0 on SIGTERM.
    expect(a).toMatchObject({ exitCode: 143, reason: 'Error' });
    expect(b).toMatchObject({ exitCode: 0, reason: 'Completed' });
    await rt.removeSandbox(pod.metadata.uid!);
  }
}, 30_000);
