/**
 * The kubelet with the process runtime, through the real kubectl against `kubeling up --nodes 2`:
 * nodes register and heartbeat, the seed's multi-container pod runs 2/2 Ready, containers of a
 * pod reach each other and share an emptyDir, crash loops back off, probes decide readiness
 * and restarts, deletion runs preStop and stops the processes, and a kubelet killed with -9
 * and started again keeps its pods running. Pods set spec.nodeName themselves (no scheduler).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processAlive } from '@kubeling/testing';
import { useCluster } from './support';

const c = useCluster({ nodes: 2 });
let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-kubelet-e2e-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

async function apply(name: string, yaml: string): Promise<void> {
  const file = path.join(work, `${name}.yaml`);
  fs.writeFileSync(file, yaml);
  await c.ok(['apply', '-f', file]);
}

async function pod(name: string): Promise<Doc> {
  return JSON.parse(await c.ok(['get', 'pod', name, '-o', 'json'])) as Doc;
}

/** Polls until `check` returns a value (not undefined), or fails with the last state seen. */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The STATUS column of `kubectl get pod`. */
async function statusColumn(
  name: string,
): Promise<{ ready: string; status: string; restarts: number }> {
  const line = (await c.ok(['get', 'pod', name, '--no-headers'])).trim().split(/\s+/);
  return { ready: line[1] ?? '', status: line[2] ?? '', restarts: Number(line[3] ?? 0) };
}

function clusterState(): Doc {
  return JSON.parse(
    fs.readFileSync(path.join(c.cluster.home, c.cluster.name, 'cluster.json'), 'utf8'),
  ) as Doc;
}

/** The container pids the node's kubelet recorded for a pod (its pod.json). */
function recordedPids(node: string, uid: string): number[] {
  const file = path.join(
    c.cluster.home,
    c.cluster.name,
    'data',
    'kubelet',
    node,
    'pods',
    uid,
    'pod.json',
  );
  const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    containers: Record<string, { pid: number }>;
  };
  return Object.values(rec.containers).map((x) => x.pid);
}

describe('nodes', () => {
  it('register Ready with the upstream conditions, labels, addresses and a fresh Lease', async () => {
    const nodes = await until('two Ready nodes', async () => {
      const out = await c.ok(['get', 'nodes', '--no-headers']);
      return out.match(/ Ready /g)?.length === 2 ? out : undefined;
    });
    expect(nodes).toMatch(/^node-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.\d+/m);
    const d = await c.ok(['describe', 'node', 'node-2']);
    expect(d).toMatch(/kubernetes\.io\/hostname=node-2/);
    expect(d).toMatch(/Ready\s+True\s.*KubeletReady\s+kubelet is posting ready status/);
    expect(d).toMatch(/MemoryPressure\s+False\s.*KubeletHasSufficientMemory/);
    expect(d).toMatch(/InternalIP:\s+127\.0\.1\.2/);
    expect(d).toMatch(/PodCIDR:\s+127\.244\.1\.0\/24/);
    const lease = JSON.parse(
      await c.ok(['get', 'lease', '-n', 'kube-node-lease', 'node-1', '-o', 'json']),
    ) as Doc;
    expect(lease.spec.holderIdentity).toBe('node-1');
    expect(Date.now() - Date.parse(lease.spec.renewTime)).toBeLessThan(15_000);
    const node = JSON.parse(await c.ok(['get', 'node', 'node-1', '-o', 'json'])) as Doc;
    expect(node.status.daemonEndpoints.kubeletEndpoint.Port).toBeGreaterThan(0);
  }, 60_000);
});

describe('pods on the process runtime', () => {
  it("runs the seed's multi-container pod 2/2 Ready, the sidecar reaching the web container", async () => {
    await apply(
      'hello',
      `apiVersion: v1
kind: Pod
metadata: {name: hello, labels: {app: hello}}
spec:
  nodeName: node-1
  containers:
  - name: nginx
    image: nginxdemos/hello:plain-text
    ports: [{name: http, containerPort: 80, protocol: TCP}]
  - name: debug
    image: posquit0/doraemon:latest
    readinessProbe:
      exec: {command: [sh, -c, 'curl -sf http://$(hostname -i):80/ | grep -q "Server name: hello"']}
      periodSeconds: 1
`,
    );
    const s = await until('hello 2/2 Running', async () => {
      const st = await statusColumn('hello');
      return st.ready === '2/2' && st.status === 'Running' ? st : undefined;
    });
    expect(s.restarts).toBe(0);
    const p = await pod('hello');
    expect(p.status.podIP).toMatch(/^127\.244\.0\.\d+$/);
    expect(p.status.hostIP).toBe('127.0.1.1');
    expect(p.status.conditions.map((x: Doc) => `${x.type}=${x.status}`)).toEqual(
      expect.arrayContaining([
        'PodReadyToStartContainers=True',
        'Initialized=True',
        'Ready=True',
        'ContainersReady=True',
        'PodScheduled=True',
      ]),
    );
    // The pod IP is real: the host reaches nginxdemos/hello on it.
    const res = await fetch(`http://${p.status.podIP}/`);
    const body = await res.text();
    expect(body).toMatch(
      new RegExp(
        `^Server address: ${p.status.podIP.replace(/\./g, '\\.')}:80\nServer name: hello\nDate: .+\nURI: /\nRequest ID: [0-9a-f]{32}\n$`,
      ),
    );
  }, 60_000);

  it('serves kubectl logs, exec (exit codes passed through) and port-forward for its pods', async () => {
    // The hello pod of the test above: the real kubelet's server behind the api-server's relay.
    await until('hello Running', async () =>
      (await statusColumn('hello')).status === 'Running' ? true : undefined,
    );
    await fetch(`http://${(await pod('hello')).status.podIP}/logged`);
    const logs = await until('the request in the log', async () => {
      const out = await c.ok(['logs', 'hello', '-c', 'nginx']);
      return out.includes('/logged') ? out : undefined;
    });
    expect(logs).toContain('GET /logged');
    const exec = await c.kubectl([
      'exec',
      'hello',
      '-c',
      'debug',
      '--',
      'sh',
      '-c',
      'echo from-$HOSTNAME; exit 3',
    ]);
    expect(exec.stdout).toBe('from-hello\n');
    expect(exec.code).toBe(3);
    // port-forward: a local port to the pod's port 80, then a request through it.
    const local = 20000 + Math.floor(Math.random() * 20000);
    const pf = spawn('kubectl', [
      '--kubeconfig',
      c.cluster.kubeconfig,
      'port-forward',
      'pod/hello',
      `${local}:80`,
    ]);
    try {
      await until('port-forward listening', async () => {
        const r = await fetch(`http://127.0.0.1:${local}/`).catch(() => undefined);
        return r ? await r.text() : undefined;
      }).then((body) => expect(body).toContain('Server name: hello'));
    } finally {
      pf.kill('SIGTERM');
    }
  }, 90_000);

  it('shares an emptyDir between two containers and runs init containers first', async () => {
    await apply(
      'share',
      `apiVersion: v1
kind: Pod
metadata: {name: share}
spec:
  nodeName: node-2
  volumes: [{name: data, emptyDir: {}}]
  initContainers:
  - name: init
    image: busybox
    command: [sh, -c, 'echo from-init > /data/init']
    volumeMounts: [{name: data, mountPath: /data}]
  containers:
  - name: writer
    image: busybox
    command: [sh, -c, 'cat /data/init > /data/msg; echo from-writer >> /data/msg; exec sleep 3600']
    volumeMounts: [{name: data, mountPath: /data}]
  - name: reader
    image: alpine
    command: [sleep, '3600']
    volumeMounts: [{name: data, mountPath: /data, readOnly: true}]
    readinessProbe:
      exec: {command: [sh, -c, 'grep -q from-init /data/msg && grep -q from-writer /data/msg']}
      periodSeconds: 1
`,
    );
    await until('share 2/2 Running', async () => {
      const st = await statusColumn('share');
      return st.ready === '2/2' && st.status === 'Running' ? st : undefined;
    });
    const p = await pod('share');
    expect(p.status.initContainerStatuses[0].state.terminated).toMatchObject({
      exitCode: 0,
      reason: 'Completed',
    });
    expect(p.status.podIP).toMatch(/^127\.244\.1\.\d+$/);
  }, 60_000);

  it('shows CrashLoopBackOff with a growing restart count and the last termination', async () => {
    await apply(
      'crash',
      `apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  nodeName: node-1
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'echo about to fail; exit 3']
`,
    );
    const s = await until('CrashLoopBackOff', async () => {
      const st = await statusColumn('crash');
      return st.status === 'CrashLoopBackOff' && st.restarts >= 1 ? st : undefined;
    });
    const p = await pod('crash');
    const cs = p.status.containerStatuses[0];
    expect(cs.state.waiting.reason).toBe('CrashLoopBackOff');
    expect(cs.state.waiting.message).toMatch(
      /^back-off 10s restarting failed container=c pod=crash_default\(/,
    );
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(p.status.phase).toBe('Running');
    // 10 s later it has restarted again.
    await until(
      'a second restart',
      async () => ((await statusColumn('crash')).restarts > s.restarts ? true : undefined),
      25_000,
    );
  }, 60_000);

  it('keeps a pod with a failing readiness probe not Ready, and restarts one failing liveness', async () => {
    await apply(
      'probes',
      `apiVersion: v1
kind: Pod
metadata: {name: unready}
spec:
  nodeName: node-2
  containers:
  - name: web
    image: nginx:1.27
    readinessProbe:
      httpGet: {path: /, port: 81}
      periodSeconds: 1
---
apiVersion: v1
kind: Pod
metadata: {name: unlive}
spec:
  nodeName: node-2
  containers:
  - name: c
    image: busybox
    command: [sleep, '3600']
    livenessProbe:
      exec: {command: ['false']}
      periodSeconds: 1
      failureThreshold: 2
`,
    );
    await until('unlive restarted', async () =>
      (await statusColumn('unlive')).restarts >= 1 ? true : undefined,
    );
    const st = await statusColumn('unready');
    expect(st).toMatchObject({ ready: '0/1', status: 'Running' });
    const p = await pod('unready');
    expect(p.status.conditions.find((x: Doc) => x.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [web]',
    });
    const events = await c.ok(['get', 'events', '--field-selector', 'involvedObject.name=unlive']);
    expect(events).toMatch(/Liveness probe failed/);
    expect(events).toMatch(/Container c failed liveness probe, will be restarted/);
  }, 60_000);

  it('gives containers env from values, ConfigMaps, Secrets, fieldRefs and Services, and their volumes', async () => {
    await apply(
      'env',
      `apiVersion: v1
kind: Service
metadata: {name: hello-svc}
spec:
  selector: {app: hello}
  ports: [{name: http, port: 8080, targetPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: fast, file.txt: from-configmap}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: env, labels: {tier: web}}
spec:
  nodeName: node-2
  volumes:
  - {name: cfg, configMap: {name: settings}}
  - {name: sec, secret: {secretName: creds}}
  - name: info
    downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
  containers:
  - name: c
    image: busybox
    command: [sleep, '3600']
    env:
    - {name: GREETING, value: hello-$(MODE)}
    - {name: MODE, valueFrom: {configMapKeyRef: {name: settings, key: mode}}}
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    envFrom: [{prefix: CFG_, configMapRef: {name: settings}}]
    volumeMounts:
    - {name: cfg, mountPath: /etc/settings}
    - {name: sec, mountPath: /etc/creds, readOnly: true}
    - {name: info, mountPath: /etc/podinfo}
    readinessProbe:
      periodSeconds: 1
      exec:
        command:
        - sh
        - -c
        - >-
          test "$MODE" = fast && test "$PASSWORD" = s3cret && test "$POD_NAME" = env &&
          test "$POD_IP" = "$(hostname -i)" && test "$CFG_mode" = fast &&
          test "$HELLO_SVC_SERVICE_PORT" = 8080 && test -n "$HELLO_SVC_SERVICE_HOST" &&
          test "$(cat /etc/settings/file.txt)" = from-configmap &&
          test "$(cat /etc/creds/password)" = s3cret && grep -q 'tier="web"' /etc/podinfo/labels &&
          test "$(hostname)" = env
`,
    );
    await until('env Ready', async () =>
      (await statusColumn('env')).ready === '1/1' ? true : undefined,
    );
  }, 60_000);

  it('OOMKills a container past its memory limit (exit code 137)', async () => {
    await apply(
      'hog',
      `apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  nodeName: node-1
  restartPolicy: Never
  containers:
  - name: hog
    image: busybox
    command: [perl, -e, '$x = "a" x (300 * 1024 * 1024); sleep 100']
    resources: {limits: {memory: 64Mi}}
`,
    );
    const st = await until('OOMKilled', async () => {
      const s = await statusColumn('hog');
      return s.status === 'OOMKilled' ? s : undefined;
    });
    expect(st.ready).toBe('0/1');
    const p = await pod('hog');
    expect(p.status.phase).toBe('Failed');
    expect(p.status.containerStatuses[0].state.terminated).toMatchObject({
      exitCode: 137,
      reason: 'OOMKilled',
    });
  }, 60_000);

  it('runs preStop on deletion, stops the processes, then removes the pod', async () => {
    const dir = path.join(work, 'prestop');
    fs.mkdirSync(dir);
    await apply(
      'graceful',
      `apiVersion: v1
kind: Pod
metadata: {name: graceful}
spec:
  nodeName: node-1
  terminationGracePeriodSeconds: 10
  volumes: [{name: out, hostPath: {path: ${dir}, type: Directory}}]
  containers:
  - name: c
    image: busybox
    command: [sh, -c, 'trap "echo term > /out/term; exit 0" TERM; while true; do sleep 0.2; done']
    volumeMounts: [{name: out, mountPath: /out}]
    lifecycle:
      preStop:
        exec: {command: [sh, -c, 'echo prestop > /out/prestop']}
`,
    );
    await until('graceful Running', async () =>
      (await statusColumn('graceful')).status === 'Running' ? true : undefined,
    );
    const uid = (await pod('graceful')).metadata.uid as string;
    const pids = recordedPids('node-1', uid);
    expect(pids.every(processAlive)).toBe(true);
    await c.ok(['delete', 'pod', 'graceful', '--timeout=30s']);
    expect(fs.readFileSync(path.join(dir, 'prestop'), 'utf8')).toBe('prestop\n');
    expect(fs.readFileSync(path.join(dir, 'term'), 'utf8')).toBe('term\n');
    expect(pids.some(processAlive)).toBe(false);
    expect((await c.kubectl(['get', 'pod', 'graceful'])).stderr).toMatch(/NotFound/);
  }, 60_000);

  it('keeps its pods running across a kubelet killed with -9 and started again', async () => {
    const before = await pod('hello');
    const pids = recordedPids('node-1', before.metadata.uid as string);
    const kubelet = (clusterState().components as Doc[]).find((x) => x.id === 'kubelet-0')!;
    process.kill(kubelet.pid as number, 'SIGKILL');
    await until('the kubelet gone', async () =>
      processAlive(kubelet.pid as number) ? undefined : true,
    );
    const [cmd, ...args] = kubelet.command as string[];
    const log = fs.openSync(path.join(work, 'kubelet-0.log'), 'a');
    const again = spawn(cmd!, args, {
      cwd: path.resolve(__dirname, '../../..'),
      stdio: ['ignore', log, log],
      detached: true,
    });
    again.unref();
    try {
      await until('the kubelet running again', async () =>
        fs.readFileSync(path.join(work, 'kubelet-0.log'), 'utf8').includes('"kubelet running"')
          ? true
          : undefined,
      );
      // Its heartbeat and status continue; the containers are the same processes.
      await new Promise((r) => setTimeout(r, 2000));
      const after = await pod('hello');
      expect(after.status.containerStatuses.map((x: Doc) => x.restartCount)).toEqual([0, 0]);
      expect(after.status.containerStatuses.map((x: Doc) => x.containerID).sort()).toEqual(
        before.status.containerStatuses.map((x: Doc) => x.containerID).sort(),
      );
      expect(recordedPids('node-1', before.metadata.uid as string).sort()).toEqual(pids.sort());
      expect(pids.every(processAlive)).toBe(true);
      expect(await statusColumn('hello')).toMatchObject({ ready: '2/2', status: 'Running' });
    } finally {
      // Stop the kubelet we started; the cluster's down stops the rest.
      await c.kubectl(['delete', 'pod', '--all', '--timeout=30s']);
      process.kill(again.pid!, 'SIGTERM');
    }
  }, 90_000);
});
