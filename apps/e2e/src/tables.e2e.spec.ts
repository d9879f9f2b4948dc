/**
 * Server-side Table output through the real kubectl v1.32, against a cluster started by
 * `kubeling up`: the columns and cells of get for pods, nodes, services, deployments, replica
 * sets, namespaces and events, and the client-side decorations that need the rows'
 * PartialObjectMetadata (-A, --show-labels, -L), -o wide, get all, --sort-by, and get -w.
 *
 * Kubelets and controllers do not exist yet: the Node is created with its status, and pod
 * statuses are written through the status subresource, as a kubelet would write them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useCluster } from './support';

const testdata = path.join(__dirname, '..', 'testdata', 'tables');
const c = useCluster();
const k = (args: string[], opts: { stdin?: string; timeoutMs?: number } = {}) =>
  c.kubectl(args, opts);
const ok = (...args: string[]) => c.ok(args);
const okWithStdin = (args: string[], stdin: string) => c.ok(args, { stdin });

/** RFC 3339 (seconds) for `secondsAgo` seconds before now. */
function ago(secondsAgo: number): string {
  return new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Printed {
  header: string[];
  rows: string[][];
}

/**
 * Splits kubectl's aligned output into cells, by the header's column positions (cells may
 * contain single spaces, or be empty). Blank lines separate the tables of `get all`.
 */
function parseTables(out: string): Printed[] {
  const tables: Printed[] = [];
  for (const block of out.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    const [head, ...rest] = lines;
    if (!head) continue;
    const header = head.trim().split(/\s{2,}/);
    const starts: number[] = [];
    let from = 0;
    for (const h of header) {
      const at = head.indexOf(h, from);
      starts.push(at);
      from = at + h.length;
    }
    const rows = rest.map((line) =>
      starts.map((s, i) => line.slice(s, i + 1 < starts.length ? starts[i + 1] : undefined).trim()),
    );
    tables.push({ header, rows });
  }
  return tables;
}

function parseTable(out: string): Printed {
  const [t] = parseTables(out);
  if (!t) throw new Error(`no table in ${JSON.stringify(out)}`);
  return t;
}

const age = /^\d+(s|m\d*s?)$/;

describe('kubectl get prints the server-side Tables', () => {
  it('creates the fixtures with create -f', async () => {
    const out = await ok(
      'create',
      '-f',
      path.join(testdata, 'node.yaml'),
      '-f',
      path.join(testdata, 'pods.yaml'),
      '-f',
      path.join(testdata, 'workloads.yaml'),
    );
    expect(out.trim().split('\n')).toEqual([
      'node/node-1 created',
      'namespace/tables-other created',
      'pod/alpha created',
      'pod/beta created',
      'pod/gamma created',
      'service/web created',
      'deployment.apps/web-deploy created',
      'replicaset.apps/db-rs created',
    ]);
    const event = fs
      .readFileSync(path.join(testdata, 'event.yaml'), 'utf8')
      .replaceAll('2024-05-01T10:00:00Z', ago(90));
    expect(await okWithStdin(['create', '-f', '-'], event)).toBe(
      'event/alpha.17c0e1a2b3c4d5e6 created\n',
    );
  });

  it('get pods: NAME READY STATUS RESTARTS AGE, with the pod status logic', async () => {
    const out = await ok('get', 'pods');
    expect(out.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const t = parseTable(out);
    expect(t.header).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(t.rows.map((r) => r.slice(0, 4))).toEqual([
      ['alpha', '0/1', 'Pending', '0'],
      ['beta', '0/2', 'Pending', '0'],
    ]);
    for (const r of t.rows) expect(r[4]).toMatch(age);
    // A single object is a one-row Table too.
    expect(parseTable(await ok('get', 'pod', 'beta')).rows).toEqual([
      ['beta', '0/2', 'Pending', '0', expect.stringMatching(age)],
    ]);
  });

  it('get pods reflects what the kubelet reports: Running, CrashLoopBackOff, restarts "(5m ago)"', async () => {
    await ok(
      'patch',
      'pod',
      'alpha',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          phase: 'Running',
          podIP: '10.1.0.5',
          podIPs: [{ ip: '10.1.0.5' }],
          hostIP: '127.0.0.2',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [
            {
              name: 'web',
              ready: true,
              started: true,
              restartCount: 0,
              image: 'nginx:1.25',
              imageID: '',
              state: { running: { startedAt: ago(60) } },
            },
          ],
        },
      }),
    );
    await ok(
      'patch',
      'pod',
      'beta',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'db',
              ready: true,
              restartCount: 0,
              image: 'busybox:1.36',
              imageID: '',
              state: { running: { startedAt: ago(60) } },
            },
            {
              name: 'sidecar',
              ready: false,
              restartCount: 2,
              image: 'busybox:1.36',
              imageID: '',
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(300) } },
            },
          ],
        },
      }),
    );
    const t = parseTable(await ok('get', 'pods'));
    expect(t.rows.map((r) => r.slice(0, 3))).toEqual([
      ['alpha', '1/1', 'Running'],
      ['beta', '1/2', 'CrashLoopBackOff'],
    ]);
    expect(t.rows[0]?.[3]).toBe('0');
    expect(t.rows[1]?.[3]).toMatch(/^2 \(5m(\d+s)? ago\)$/);
  });

  it('-o wide adds IP NODE NOMINATED NODE READINESS GATES', async () => {
    const out = await ok('get', 'pods', '-o', 'wide');
    expect(out.split('\n')[0]).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
    );
    const t = parseTable(out);
    expect(t.rows.map((r) => [r[0], ...r.slice(5)])).toEqual([
      ['alpha', '10.1.0.5', 'node-1', '<none>', '<none>'],
      ['beta', '<none>', '<none>', '<none>', '<none>'],
    ]);
  });

  it('-A adds NAMESPACE from the rows’ metadata', async () => {
    const t = parseTable(await ok('get', 'pods', '-A'));
    expect(t.header).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(t.rows.map((r) => r.slice(0, 4))).toEqual([
      ['default', 'alpha', '1/1', 'Running'],
      ['default', 'beta', '1/2', 'CrashLoopBackOff'],
      ['tables-other', 'gamma', '0/1', 'Pending'],
    ]);
  });

  it('--show-labels and -L read the labels of the rows’ metadata', async () => {
    const labels = parseTable(await ok('get', 'pods', '--show-labels'));
    expect(labels.header).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'LABELS']);
    expect(labels.rows.map((r) => [r[0], r[5]])).toEqual([
      ['alpha', 'app=web,tier=front'],
      ['beta', 'app=db'],
    ]);
    const columns = parseTable(await ok('get', 'pods', '-L', 'app', '-L', 'tier'));
    expect(columns.header).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'APP', 'TIER']);
    expect(columns.rows.map((r) => [r[0], r[5], r[6]])).toEqual([
      ['alpha', 'web', 'front'],
      ['beta', 'db', ''],
    ]);
  });

  it('--sort-by sorts on the full objects the server includes', async () => {
    const names = async (...args: string[]) =>
      parseTable(await ok('get', 'pods', ...args)).rows.map((r) => r[0]);
    expect(await names('--sort-by=.metadata.name')).toEqual(['alpha', 'beta']);
    // busybox < nginx: the opposite of the name order.
    expect(await names('--sort-by=.spec.containers[0].image')).toEqual(['beta', 'alpha']);
  });

  it('get nodes: NAME STATUS ROLES AGE VERSION, and the wide columns', async () => {
    const t = parseTable(await ok('get', 'nodes'));
    expect(t.header).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    expect(t.rows).toEqual([
      ['node-1', 'Ready,SchedulingDisabled', 'worker', expect.stringMatching(age), 'v1.32.0'],
    ]);
    const wide = parseTable(await ok('get', 'nodes', '-o', 'wide'));
    expect(wide.header).toEqual([
      'NAME',
      'STATUS',
      'ROLES',
      'AGE',
      'VERSION',
      'INTERNAL-IP',
      'EXTERNAL-IP',
      'OS-IMAGE',
      'KERNEL-VERSION',
      'CONTAINER-RUNTIME',
    ]);
    expect(wide.rows[0]?.slice(5)).toEqual([
      '127.0.0.2',
      '<none>',
      'Kubeling Linux',
      '6.8.0-kubeling',
      'kubeling://0.1.0',
    ]);
  });

  it('get svc: TYPE CLUSTER-IP EXTERNAL-IP PORT(S), and SELECTOR with -o wide', async () => {
    const t = parseTable(await ok('get', 'svc'));
    expect(t.header).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(t.rows.map((r) => r.slice(0, 5))).toEqual([
      ['kubernetes', 'ClusterIP', '127.96.0.1', '<none>', '443/TCP'],
      [
        'web',
        'NodePort',
        expect.stringMatching(/^127\.(9[6-9]|1[01]\d)\.\d+\.\d+$/),
        '<none>',
        '80:30080/TCP',
      ],
    ]);
    const wide = parseTable(await ok('get', 'svc', 'web', '-o', 'wide'));
    expect(wide.header.at(-1)).toBe('SELECTOR');
    expect(wide.rows[0]?.at(-1)).toBe('app=web');
  });

  it('get deploy and get rs: the controllers’ counts, and their templates with -o wide', async () => {
    const deploy = parseTable(await ok('get', 'deploy', '-o', 'wide'));
    expect(deploy.header).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    const [d] = deploy.rows;
    expect(d?.slice(0, 2)).toEqual(['web-deploy', '0/2']);
    expect(d?.slice(5)).toEqual(['web', 'nginx:1.25', 'app=web-deploy']);
    const rs = parseTable(await ok('get', 'rs', 'db-rs', '-o', 'wide'));
    expect(rs.header).toEqual([
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'AGE',
      'CONTAINERS',
      'IMAGES',
      'SELECTOR',
    ]);
    expect(rs.rows[0]?.slice(0, 2)).toEqual(['db-rs', '1']);
    expect(rs.rows[0]?.slice(5)).toEqual(['db', 'busybox:1.36', 'app=db-rs']);
    expect(parseTable(await ok('get', 'deploy', 'web-deploy', '--subresource=scale'))).toEqual({
      header: ['NAME', 'DESIRED', 'AVAILABLE'],
      rows: [['web-deploy', '2', expect.stringMatching(/^\d$/)]],
    });
  });

  it('get ns: NAME STATUS AGE', async () => {
    const t = parseTable(await ok('get', 'ns'));
    expect(t.header).toEqual(['NAME', 'STATUS', 'AGE']);
    expect(t.rows.map((r) => r.slice(0, 2))).toEqual([
      ['default', 'Active'],
      ['kube-node-lease', 'Active'],
      ['kube-public', 'Active'],
      ['kube-system', 'Active'],
      ['tables-other', 'Active'],
    ]);
  });

  it('get events: LAST SEEN TYPE REASON OBJECT MESSAGE, and the wide columns', async () => {
    const sel = ['--field-selector', 'involvedObject.name=alpha'];
    const t = parseTable(await ok('get', 'events', ...sel));
    expect(t.header).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(t.rows).toEqual([
      [
        expect.stringMatching(/^(9\d|1[01]\d)s$/),
        'Normal',
        'Pulled',
        'pod/alpha',
        'Successfully pulled image "nginx:1.25"',
      ],
    ]);
    const wide = parseTable(await ok('get', 'events', '-o', 'wide', ...sel));
    expect(wide.header).toEqual([
      'LAST SEEN',
      'TYPE',
      'REASON',
      'OBJECT',
      'SUBOBJECT',
      'SOURCE',
      'MESSAGE',
      'FIRST SEEN',
      'COUNT',
      'NAME',
    ]);
    expect(wide.rows[0]?.slice(4)).toEqual([
      'spec.containers{web}',
      'kubelet, node-1',
      'Successfully pulled image "nginx:1.25"',
      expect.stringMatching(/^(9\d|1[01]\d)s$/),
      '3',
      'alpha.17c0e1a2b3c4d5e6',
    ]);
  });

  it('get all prints a table per kind of the "all" category', async () => {
    const tables = parseTables(await ok('get', 'all'));
    const byFirst = new Map(tables.map((t) => [t.rows[0]?.[0]?.split('/')[0] ?? '', t]));
    expect(byFirst.get('pod')?.header).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(byFirst.get('pod')?.rows.map((r) => r[0])).toEqual(['pod/alpha', 'pod/beta']);
    expect(byFirst.get('service')?.header).toEqual([
      'NAME',
      'TYPE',
      'CLUSTER-IP',
      'EXTERNAL-IP',
      'PORT(S)',
      'AGE',
    ]);
    expect(byFirst.get('service')?.rows.map((r) => r[0])).toEqual([
      'service/kubernetes',
      'service/web',
    ]);
    expect(byFirst.get('deployment.apps')?.header).toEqual([
      'NAME',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'AGE',
    ]);
    expect(byFirst.get('deployment.apps')?.rows.map((r) => r[0])).toEqual([
      'deployment.apps/web-deploy',
    ]);
    expect(byFirst.get('replicaset.apps')?.header).toEqual([
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'AGE',
    ]);
    expect(byFirst.get('replicaset.apps')?.rows.map((r) => r[0])).toContain(
      'replicaset.apps/db-rs',
    );
  });

  it('get -w prints a row per change under the one header', async () => {
    const watching = k(['get', 'pods', '-w'], { timeoutMs: 9_000 });
    await new Promise((r) => setTimeout(r, 3_000));
    await ok('label', 'pod', 'alpha', 'watched=yes');
    await ok(
      'patch',
      'pod',
      'beta',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          containerStatuses: ['db', 'sidecar'].map((name) => ({
            name,
            ready: true,
            restartCount: name === 'sidecar' ? 2 : 0,
            image: 'busybox:1.36',
            imageID: '',
            state: { running: { startedAt: ago(1) } },
          })),
        },
      }),
    );
    const r = await watching;
    expect(r.timedOut).toBe(true);
    const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines.filter((l) => l.startsWith('NAME'))).toHaveLength(1);
    // Every line after the header is a row with the same five columns.
    const rows = lines.slice(1).map((l) => l.trim().split(/\s{2,}/));
    for (const row of rows) expect(row).toHaveLength(5);
    // The initial list, then one row per change.
    expect(rows.map((row) => row[0])).toEqual(['alpha', 'beta', 'alpha', 'beta']);
    expect(rows[2]?.slice(1, 3)).toEqual(['1/1', 'Running']);
    expect(rows[1]?.slice(1, 3)).toEqual(['1/2', 'CrashLoopBackOff']);
    expect(rows[3]?.slice(1, 4)).toEqual(['2/2', 'Running', '2']);
  }, 30_000);
});
