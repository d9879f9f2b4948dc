/**
 * kubectl logs / exec / cp / port-forward / attach end to end: the real kubectl against a
 * cluster started by the real `kubeling up --nodes 0`, whose api-server relays to a kubelet
 * server (serveKubelet) this test runs on loopback with a runtime of real host processes
 * (testing/hostRuntime). The Node and the Pod are written the way a kubelet would: the Node's
 * InternalIP and daemonEndpoints point at the server, the Pod is bound and Running.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestCluster } from '@kubeling/testing';
import { kubectl, runProcess, startCluster, uniqueName, workspaceRoot } from '@kubeling/testing';
import type { KubeletServer } from './server';
import { serveKubelet } from './server';
import { HostRuntime } from './testing/hostRuntime';

jest.setTimeout(120_000);

let cluster: TestCluster;
let kubelet: KubeletServer;
let deadNodePort: number;
const runtime = new HostRuntime();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelet-e2e-'));
const quiet = { info: () => undefined, error: () => undefined };

const run = (args: string[], stdin?: string, timeoutMs = 30_000) =>
  kubectl(args, {
    kubeconfig: cluster.kubeconfig,
    timeoutMs,
    ...(stdin === undefined ? {} : { stdin }),
  });

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await run(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

async function createNode(name: string, port: number): Promise<void> {
  await ok(
    ['create', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name } }),
  );
  await ok([
    'patch',
    'node',
    name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({
      status: {
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: name },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: port } },
      },
    }),
  ]);
}

async function createPod(name: string, containers: string[], nodeName?: string): Promise<void> {
  await ok(
    ['create', '-f', '-'],
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        ...(nodeName ? { nodeName } : {}),
        containers: containers.map((c) => ({ name: c, image: 'busybox' })),
      },
    }),
  );
  if (nodeName)
    await ok([
      'patch',
      'pod',
      name,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { phase: 'Running', podIP: '127.0.0.1' } }),
    ]);
}

beforeAll(async () => {
  kubelet = await serveKubelet({ runtime, bindAddress: '127.0.0.1', port: 0, log: quiet });
  // A port nothing listens on: the node whose kubelet is down.
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  deadNodePort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));

  cluster = await startCluster({ nodes: 0, name: uniqueName('streams') });
  await createNode('node-a', kubelet.port);
  await createNode('node-dead', deadNodePort);
  runtime.addPod({
    namespace: 'default',
    name: 'web',
    cwd: work,
    containers: [
      { name: 'c' },
      { name: 'side', command: ['sh', '-c', 'read line; echo "got $line"; exit 0'] },
    ],
  });
  await createPod('web', ['c', 'side'], 'node-a');
  await createPod('pending', ['c']);
  await createPod('orphan', ['c'], 'node-dead');
  runtime.appendLog('default', 'web', 'c', 'line 1\nline 2\nline 3\n');
}, 120_000);

afterAll(async () => {
  runtime.stop();
  await kubelet?.close();
  await cluster?.down();
  fs.rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('kubectl logs', () => {
  it('prints a container log, --tail and --timestamps', async () => {
    expect(await ok(['logs', 'web', '-c', 'c'])).toBe('line 1\nline 2\nline 3\n');
    expect(await ok(['logs', 'web', '-c', 'c', '--tail=1'])).toBe('line 3\n');
    const stamped = await ok(['logs', 'web', '-c', 'c', '--timestamps', '--tail=2']);
    expect(stamped).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 2\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 3\n$/,
    );
  });

  it('defaults to the first container of a multi-container pod, as kubectl does', async () => {
    const r = await run(['logs', 'web']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('line 1\nline 2\nline 3\n');
    expect(r.stderr).toContain('Defaulted container "c" out of: c, side');
  });

  it('--previous, --since and --all-containers reach the runtime', async () => {
    const prev = await run(['logs', 'web', '-c', 'c', '--previous']);
    expect(prev.code).toBe(1);
    expect(prev.stderr).toContain(
      'Error from server (BadRequest): previous terminated container "c" in pod "web" not found',
    );
    expect(await ok(['logs', 'web', '-c', 'c', '--since=1h'])).toBe('line 1\nline 2\nline 3\n');
    const future = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(await ok(['logs', 'web', '-c', 'c', `--since-time=${future}`])).toBe('');
    runtime.appendLog('default', 'web', 'side', 'from side\n');
    expect(await ok(['logs', 'web', '--all-containers'])).toBe(
      'line 1\nline 2\nline 3\nfrom side\n',
    );
  });

  it('-f streams new lines and ends when the container exits', async () => {
    runtime.addPod({ namespace: 'default', name: 'follow', containers: [{ name: 'c' }] });
    await createPod('follow', ['c'], 'node-a');
    runtime.appendLog('default', 'follow', 'c', 'first\n');
    const following = run(['logs', '-f', 'follow']);
    // The first line is there before the stream starts; later ones arrive while it is open.
    await new Promise((r) => setTimeout(r, 1500));
    runtime.appendLog('default', 'follow', 'c', 'second\n');
    runtime.exitContainer('default', 'follow', 'c');
    const r = await following;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('first\nsecond\n');
  });

  it('answers upstream errors: unknown container, unscheduled pod, unknown pod, dead kubelet', async () => {
    const bad = await run(['logs', 'web', '-c', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('container nope is not valid for pod web');
    // An unscheduled pod has an empty log (LogLocation returns no location).
    const pending = await run(['logs', 'pending']);
    expect(pending).toMatchObject({ code: 0, stdout: '' });
    const missing = await run(['logs', 'missing']);
    expect(missing.stderr).toContain('pods "missing" not found');
    const dead = await run(['logs', 'orphan']);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toContain(
      `Error from server: Get "http://127.0.0.1:${deadNodePort}/containerLogs/default/orphan/c": dial tcp 127.0.0.1:${deadNodePort}: connect: connection refused`,
    );
  });
});

describe('kubectl exec', () => {
  it('passes stdout and the exit code through', async () => {
    const r = await run([
      'exec',
      'web',
      '-c',
      'c',
      '--',
      'sh',
      '-c',
      'echo hi; echo oops >&2; exit 3',
    ]);
    expect(r.stdout).toBe('hi\n');
    expect(r.stderr).toContain('oops\n');
    expect(r.stderr).toContain('command terminated with exit code 3');
    expect(r.code).toBe(3);
    const good = await run(['exec', 'web', '-c', 'c', '--', 'echo', 'fine']);
    expect(good).toMatchObject({ code: 0, stdout: 'fine\n' });
  });

  it('carries a large output intact (backpressure end to end)', async () => {
    const r = await run([
      'exec',
      'web',
      '-c',
      'c',
      '--',
      'sh',
      '-c',
      'head -c 5000000 /dev/zero | tr "\\000" a',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.length).toBe(5_000_000);
    expect(/^a+$/.test(r.stdout)).toBe(true);
  });

  it('-i feeds stdin until EOF', async () => {
    const r = await run(
      ['exec', '-i', 'web', '-c', 'c', '--', 'sh', '-c', 'tr a-z A-Z; echo done'],
      'hello\nworld\n',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('HELLO\nWORLD\ndone\n');
    expect(r.code).toBe(0);
  });

  it('-it runs with a terminal: tty=true, its size sent, the exit code passed through', async () => {
    // `script` gives kubectl a pseudo-terminal, as a user's shell would.
    const r = await runProcess(
      'script',
      [
        '-qec',
        "stty cols 91 rows 31; kubectl exec -it web -c c -- sh -c 'echo tty-ok; exit 4'",
        '/dev/null',
      ],
      { env: { ...process.env, KUBECONFIG: cluster.kubeconfig }, timeoutMs: 30_000 },
    );
    expect(r.stdout).toContain('tty-ok');
    expect(r.stdout).toContain('command terminated with exit code 4');
    expect(r.code).toBe(4);
    expect(runtime.lastExec?.options).toMatchObject({
      tty: true,
      stdin: true,
      stdout: true,
      stderr: false,
    });
    expect(runtime.lastExec?.sizes[0]).toEqual({ width: 91, height: 31 });
  });

  it('refuses what upstream refuses', async () => {
    const noContainer = await run(['exec', 'web', '-c', 'nope', '--', 'true']);
    expect(noContainer.code).toBe(1);
    expect(noContainer.stderr).toContain('container nope is not valid for pod web');
    const unscheduled = await run(['exec', 'pending', '--', 'true']);
    expect(unscheduled.code).toBe(1);
    expect(unscheduled.stderr).toContain('pod pending does not have a host assigned');
    const dead = await run(['exec', 'orphan', '--', 'true']);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toContain(
      `error dialing backend: dial tcp 127.0.0.1:${deadNodePort}: connect: connection refused`,
    );
  });
});

describe('kubectl cp', () => {
  it('copies a file into the pod and back out (tar over exec)', async () => {
    const src = path.join(work, 'local.txt');
    fs.writeFileSync(src, 'payload\n'.repeat(1000));
    fs.mkdirSync(path.join(work, 'inpod'));
    await ok(['cp', src, `web:${work}/inpod/copied.txt`, '-c', 'c']);
    expect(fs.readFileSync(path.join(work, 'inpod', 'copied.txt'), 'utf8')).toBe(
      'payload\n'.repeat(1000),
    );
    const back = path.join(work, 'back.txt');
    await ok(['cp', `web:${work}/inpod/copied.txt`, back, '-c', 'c']);
    expect(fs.readFileSync(back, 'utf8')).toBe('payload\n'.repeat(1000));
  });
});

describe('kubectl port-forward', () => {
  it('forwards several concurrent connections to the pod port', async () => {
    const app = http.createServer((req, res) => {
      // A body large enough to need many frames and the transport's backpressure.
      res.end(`${req.url} `.padEnd(200_000, 'x'));
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const remote = (app.address() as AddressInfo).port;
    const pf = spawn('kubectl', ['port-forward', 'pod/web', `:${remote}`], {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    pf.stderr.on('data', (b: Buffer) => (err += b.toString()));
    try {
      const local = await new Promise<number>((resolve, reject) => {
        pf.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        pf.on('exit', (code) => reject(new Error(`port-forward exited ${code}: ${err}`)));
      });
      const get = (p: string) =>
        new Promise<string>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: local, path: p, agent: false }, (res) => {
              let body = '';
              res.on('data', (c: Buffer) => (body += c.toString()));
              res.on('end', () => resolve(body));
            })
            .on('error', reject);
        });
      const bodies = await Promise.all(['/a', '/b', '/c', '/d', '/e'].map(get));
      bodies.forEach((b, i) => {
        expect(b.length).toBe(200_000);
        expect(b.startsWith(`/${'abcde'[i]} `)).toBe(true);
      });
      // And again, after those connections closed.
      expect((await get('/again')).startsWith('/again ')).toBe(true);
      expect(err).toBe('');
    } finally {
      pf.kill('SIGTERM');
      await new Promise<void>((r) => app.close(() => r()));
    }
  });
});

describe('kubectl port-forward errors', () => {
  it('reports a refused pod port as kubectl expects it', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const remote = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const pf = spawn('kubectl', ['port-forward', 'pod/web', `:${remote}`], {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    pf.stderr.on('data', (b: Buffer) => (err += b.toString()));
    try {
      const local = await new Promise<number>((resolve, reject) => {
        pf.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        pf.on('exit', (code) => reject(new Error(`port-forward exited ${code}: ${err}`)));
      });
      const failed = await new Promise<string>((resolve) => {
        http
          .get({ host: '127.0.0.1', port: local, path: '/', agent: false }, () =>
            resolve('answered'),
          )
          .on('error', (e) => resolve(e.message));
      });
      expect(failed).not.toBe('answered');
      for (let i = 0; i < 50 && !err.includes('error forwarding port'); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(err).toContain(`error forwarding port ${remote} to pod web`);
      expect(err).toContain('ECONNREFUSED');
      // kubectl 1.32 then gives up the whole tunnel (client-side: "lost connection to pod").
      const code = await new Promise<number | null>((resolve) => {
        if (pf.exitCode !== null) resolve(pf.exitCode);
        pf.on('exit', (c) => resolve(c));
      });
      expect(code).toBe(1);
      expect(err).toContain('error: lost connection to pod');
    } finally {
      pf.kill('SIGTERM');
    }
  });
});

describe('kubectl attach', () => {
  it("talks to the container's main process", async () => {
    const r = await run(['attach', '-i', 'web', '-c', 'side'], 'ping\n');
    expect(r.stdout).toContain('got ping');
    expect(r.code).toBe(0);
  });
});

describe('kubectl run -i --rm', () => {
  it('attaches to the new pod, prints its output, exits with its code and deletes it', async () => {
    // The test plays the scheduler and the kubelet: bind, start the process, report Running,
    // then Succeeded with the exit code once the process ended.
    const running = run(
      ['run', '-i', '--rm', '--restart=Never', '--image=busybox', 'runit', '--', 'sh'],
      'echo hi from run\nexit 3\n',
      60_000,
    );
    for (let i = 0; ; i++) {
      if ((await run(['get', 'pod', 'runit'])).code === 0) break;
      if (i > 100) throw new Error('kubectl run created no pod');
      await new Promise((r) => setTimeout(r, 100));
    }
    runtime.addPod({
      namespace: 'default',
      name: 'runit',
      containers: [{ name: 'runit', command: ['sh'] }],
    });
    await ok(
      ['create', '--raw', '/api/v1/namespaces/default/pods/runit/binding', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'runit' },
        target: { kind: 'Node', name: 'node-a' },
      }),
    );
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await ok([
      'patch',
      'pod',
      'runit',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          phase: 'Running',
          podIP: '127.0.0.1',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
          containerStatuses: [
            {
              name: 'runit',
              image: 'busybox',
              imageID: '',
              ready: true,
              restartCount: 0,
              state: { running: { startedAt: now } },
            },
          ],
        },
      }),
    ]);
    const exitCode = await runtime.mainExit('default', 'runit', 'runit');
    await ok([
      'patch',
      'pod',
      'runit',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          phase: exitCode === 0 ? 'Succeeded' : 'Failed',
          containerStatuses: [
            {
              name: 'runit',
              image: 'busybox',
              imageID: '',
              ready: false,
              restartCount: 0,
              state: {
                terminated: {
                  exitCode,
                  reason: exitCode === 0 ? 'Completed' : 'Error',
                  startedAt: now,
                  finishedAt: now,
                },
              },
            },
          ],
        },
      }),
    ]);
    const r = await running;
    expect(r.stdout).toContain('hi from run');
    expect(r.stdout).toContain('pod "runit" deleted');
    expect(exitCode).toBe(3);
    expect(r.code).toBe(3);
    expect((await run(['get', 'pod', 'runit'])).code).toBe(1);
  });
});

describe('@kubernetes/client-node', () => {
  it('Exec, Log and PortForward work through the same relay', async () => {
    const app = http.createServer((req, res) => res.end(`hello ${req.url}`));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const remote = (app.address() as AddressInfo).port;
    try {
      const r = await runProcess(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(__dirname, 'testing', 'clientNode.mts'),
          cluster.kubeconfig,
          'web',
          'c',
          String(remote),
        ],
        { env: { ...process.env, KUBECONFIG: '' }, cwd: workspaceRoot(), timeoutMs: 60_000 },
      );
      if (r.code !== 0) throw new Error(`client-node script failed (${r.code}): ${r.stderr}`);
      const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
      expect(out.exec.stdout).toBe('hi\n');
      expect(out.exec.status).toMatchObject({
        status: 'Failure',
        reason: 'NonZeroExitCode',
        details: { causes: [{ reason: 'ExitCode', message: '3' }] },
      });
      expect(out.execStdin).toMatchObject({ stdout: 'from stdin', status: { status: 'Success' } });
      expect(out.log).toBe('line 2\nline 3\n');
      expect(out.portForward.error).toBe('');
      expect(out.portForward.response).toMatch(
        /^HTTP\/1\.1 200 OK\r\n[\s\S]*hello \/via-client-node$/,
      );
    } finally {
      await new Promise<void>((r) => app.close(() => r()));
    }
  });
});

describe("over plain SPDY/3.1 (kubectl's fallback when WebSockets fail)", () => {
  // kubectl's own switches for its WebSocket clients; off, it upgrades with SPDY/3.1 directly.
  const spdyEnv = {
    ...process.env,
    KUBECONFIG: '',
    KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false',
    KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false',
  };
  const spdy = (args: string[], stdin?: string) =>
    runProcess('kubectl', ['--kubeconfig', cluster.kubeconfig, ...args], {
      env: spdyEnv,
      timeoutMs: 30_000,
      ...(stdin === undefined ? {} : { stdin }),
    });

  it('exec: output, stdin and the exit code', async () => {
    const r = await spdy([
      'exec',
      'web',
      '-c',
      'c',
      '--',
      'sh',
      '-c',
      'echo hi; echo err >&2; exit 5',
    ]);
    expect(r.stdout).toBe('hi\n');
    expect(r.stderr).toContain('err\n');
    expect(r.stderr).toContain('command terminated with exit code 5');
    expect(r.code).toBe(5);
    // It really took the SPDY path: a POST upgrade, answered 101.
    const traced = await spdy(['exec', '-v=6', 'web', '-c', 'c', '--', 'true']);
    expect(traced.stderr).toMatch(
      /POST http:\/\/[^ ]+\/pods\/web\/exec\?[^ ]* 101 Switching Protocols/,
    );
    const i = await spdy(
      ['exec', '-i', 'web', '-c', 'c', '--', 'tr', 'a-z', 'A-Z'],
      'spdy stdin\n',
    );
    expect(i).toMatchObject({ code: 0, stdout: 'SPDY STDIN\n' });
  });

  it('port-forward', async () => {
    const app = http.createServer((req, res) => res.end(`spdy ${req.url}`));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const remote = (app.address() as AddressInfo).port;
    const pf = spawn(
      'kubectl',
      ['--kubeconfig', cluster.kubeconfig, 'port-forward', 'pod/web', `:${remote}`],
      {
        env: spdyEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    pf.stderr.on('data', (b: Buffer) => (err += b.toString()));
    try {
      const local = await new Promise<number>((resolve, reject) => {
        pf.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        pf.on('exit', (code) => reject(new Error(`port-forward exited ${code}: ${err}`)));
      });
      const get = (p: string) =>
        new Promise<string>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: local, path: p, agent: false }, (res) => {
              let body = '';
              res.on('data', (c: Buffer) => (body += c.toString()));
              res.on('end', () => resolve(body));
            })
            .on('error', reject);
        });
      expect(await Promise.all([get('/1'), get('/2'), get('/3')])).toEqual([
        'spdy /1',
        'spdy /2',
        'spdy /3',
      ]);
      expect(err).toBe('');
    } finally {
      pf.kill('SIGTERM');
      await new Promise<void>((r) => app.close(() => r()));
    }
  });
});
