/**
 * The built-in kinds of issue 13 through the real kubectl v1.32 against a `kubeling up` cluster:
 * for each kind create (the `kubectl create <kind>` generators send protobuf), get with its
 * columns, describe (kubectl's describer, client-side), apply and delete; and the admission
 * plugins that come with them (Priority, ServiceAccount defaulting, LimitRanger).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runProcess, workspaceRoot } from '@kubeling/testing';
import { useCluster } from './support';

const c = useCluster();
const k = (...args: string[]) => c.kubectl(args);
const ok = (...args: string[]) => c.ok(args);
let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-kinds-e2e-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Writes a manifest to the work directory and returns its path. */
function manifest(name: string, text: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, text);
  return file;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function getJson(...args: string[]): Promise<any> {
  return JSON.parse(await ok('get', ...args, '-o', 'json'));
}

/** The header and the row of `name` of a `kubectl get` table, split on runs of spaces. */
async function row(args: string[], name: string): Promise<{ header: string[]; cells: string[] }> {
  const lines = (await ok('get', ...args)).trim().split('\n');
  const split = (l: string) => l.trim().split(/\s{2,}/);
  const line = lines.find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no row ${name} in:\n${lines.join('\n')}`);
  return { header: split(lines[0] ?? ''), cells: split(line) };
}

describe('PriorityClass', () => {
  it('has the system classes built in', async () => {
    const { header, cells } = await row(['priorityclasses'], 'system-node-critical');
    expect(header).toEqual(['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    expect(cells[1]).toBe('2000001000');
    expect(cells[2]).toBe('false');
    expect(cells[4]).toBe('PreemptLowerPriority');
    expect((await row(['pc'], 'system-cluster-critical')).cells[1]).toBe('2000000000');
  });

  it('kubectl create priorityclass, get, describe, delete', async () => {
    expect(
      await ok('create', 'priorityclass', 'high', '--value=1000', '--description=important'),
    ).toBe('priorityclass.scheduling.k8s.io/high created\n');
    const pc = await getJson('pc', 'high');
    expect(pc.value).toBe(1000);
    expect(pc.description).toBe('important');
    expect(pc.preemptionPolicy).toBe('PreemptLowerPriority');
    const described = await ok('describe', 'priorityclass', 'high');
    expect(described).toMatch(/^Name:\s+high$/m);
    expect(described).toMatch(/^Value:\s+1000$/m);
    expect(described).toMatch(/^GlobalDefault:\s+false$/m);
    expect(described).toMatch(/^PreemptionPolicy:\s+PreemptLowerPriority$/m);
    expect(described).toMatch(/^Description:\s+important$/m);
  });

  it('refuses values above 1000000000 and system- names, with upstream messages', async () => {
    const tooHigh = await k('create', 'priorityclass', 'too-high', '--value=1000000001');
    expect(tooHigh.stderr).toContain(
      // kubectl's generator wraps the server's Status message.
      'error: failed to create priorityclass: PriorityClass.scheduling.k8s.io "too-high" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    );
    const reserved = await k('create', 'priorityclass', 'system-mine', '--value=1');
    expect(reserved.stderr).toContain(
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    );
  });

  it('applies a class, keeps its value immutable, and allows one global default', async () => {
    const file = manifest(
      'pc.yaml',
      'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: fallback\nvalue: 7\nglobalDefault: true\npreemptionPolicy: Never\n',
    );
    expect(await ok('apply', '-f', file)).toBe(
      'priorityclass.scheduling.k8s.io/fallback created\n',
    );
    const changed = await k(
      'apply',
      '-f',
      manifest('pc2.yaml', fs.readFileSync(file, 'utf8').replace('value: 7', 'value: 8')),
    );
    expect(changed.stderr).toContain('value: Forbidden: may not be changed in an update.');
    const second = await k(
      'create',
      'priorityclass',
      'other-default',
      '--value=3',
      '--global-default',
    );
    expect(second.stderr).toContain(
      'priorityclasses.scheduling.k8s.io "other-default" is forbidden: PriorityClass fallback is already marked as default. Only one default can exist',
    );
  });

  it('Priority admission fills spec.priority and refuses unknown classes', async () => {
    await ok('run', 'vip', '--image=nginx', '--overrides={"spec":{"priorityClassName":"high"}}');
    const vip = await getJson('pod', 'vip');
    expect(vip.spec.priority).toBe(1000);
    expect(vip.spec.preemptionPolicy).toBe('PreemptLowerPriority');
    // No class named: the global default one (applied above).
    await ok('run', 'plain', '--image=nginx');
    const plain = await getJson('pod', 'plain');
    expect(plain.spec.priorityClassName).toBe('fallback');
    expect(plain.spec.priority).toBe(7);
    expect(plain.spec.preemptionPolicy).toBe('Never');
    const unknown = await k(
      'run',
      'x',
      '--image=nginx',
      '--overrides={"spec":{"priorityClassName":"foo"}}',
    );
    expect(unknown.stderr).toContain(
      'Error from server (Forbidden): pods "x" is forbidden: no PriorityClass with name foo was found',
    );
    const disagrees = await k(
      'run',
      'y',
      '--image=nginx',
      '--overrides={"spec":{"priorityClassName":"high","priority":5}}',
    );
    expect(disagrees.stderr).toContain(
      'pods "y" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
    );
    await ok('delete', 'pod', 'vip', 'plain', '--wait=false');
    expect(await ok('delete', 'pc', 'fallback', 'high')).toBe(
      'priorityclass.scheduling.k8s.io "fallback" deleted\npriorityclass.scheduling.k8s.io "high" deleted\n',
    );
  });
});

describe('ServiceAccount', () => {
  it('kubectl create serviceaccount, get, describe, apply, delete', async () => {
    expect(await ok('create', 'serviceaccount', 'builder')).toBe(
      'serviceaccount/builder created\n',
    );
    const { header, cells } = await row(['sa'], 'builder');
    expect(header).toEqual(['NAME', 'SECRETS', 'AGE']);
    expect(cells[1]).toBe('0');
    const described = await ok('describe', 'sa', 'builder');
    expect(described).toMatch(/^Name:\s+builder$/m);
    expect(described).toMatch(/^Namespace:\s+default$/m);
    expect(described).toMatch(/^Image pull secrets:\s+<none>$/m);
    expect(described).toMatch(/^Mountable secrets:\s+<none>$/m);
    const file = manifest(
      'sa.yaml',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\nimagePullSecrets:\n- name: registry\nautomountServiceAccountToken: false\n',
    );
    expect(await ok('apply', '-f', file)).toBe('serviceaccount/builder configured\n');
    const sa = await getJson('sa', 'builder');
    expect(sa.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(await ok('describe', 'sa', 'builder')).toMatch(
      /^Image pull secrets:\s+registry \(not found\)$/m,
    );
    expect(await ok('delete', 'sa', 'builder')).toBe('serviceaccount "builder" deleted\n');
  });

  it('pods run as the default account unless they name one', async () => {
    await ok('run', 'as-default', '--image=nginx');
    const pod = await getJson('pod', 'as-default');
    expect(pod.spec.serviceAccountName).toBe('default');
    expect(pod.spec.serviceAccount).toBe('default');
    await ok('delete', 'pod', 'as-default', '--wait=false');
  });

  it('works through @kubernetes/client-node', async () => {
    const script = path.join(__dirname, 'clients', 'kindsClientNode.mts');
    const r = await runProcess(
      process.execPath,
      ['--import', 'tsx', script, c.cluster.kubeconfig, 'default'],
      {
        env: { ...process.env, KUBECONFIG: '' },
        cwd: workspaceRoot(),
        timeoutMs: 60_000,
      },
    );
    if (r.code !== 0) throw new Error(`client-node script failed (${r.code}): ${r.stderr}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    expect(out.priorityClasses).toEqual([
      'system-cluster-critical=2000000000',
      'system-node-critical=2000001000',
    ]);
    expect(out.serviceAccount).toBe('default/robot automount=false');
  });
});

describe('Job and CronJob', () => {
  it('kubectl create job, get with its columns, describe, delete', async () => {
    expect(
      await ok('create', 'job', 'pi', '--image=perl:5.34', '--', 'perl', '-e', 'print 1'),
    ).toBe('job.batch/pi created\n');
    const job = await getJson('job', 'pi');
    expect(job.spec.completions).toBe(1);
    expect(job.spec.backoffLimit).toBe(6);
    expect(job.spec.completionMode).toBe('NonIndexed');
    expect(job.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(
      job.metadata.uid,
    );
    expect(job.spec.template.metadata.labels['job-name']).toBe('pi');
    const { header, cells } = await row(['jobs'], 'pi');
    expect(header).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(cells[1]).toBe('Running');
    expect(cells[2]).toBe('0/1');
    const described = await ok('describe', 'job', 'pi');
    expect(described).toMatch(/^Name:\s+pi$/m);
    expect(described).toMatch(/^Completions:\s+1$/m);
    expect(described).toMatch(/^Completion Mode:\s+NonIndexed$/m);
    expect(await ok('delete', 'job', 'pi')).toBe('job.batch "pi" deleted\n');
  });

  it('kubectl create cronjob, get with its columns, describe, apply, and schedule validation', async () => {
    expect(
      await ok('create', 'cronjob', 'hello', '--image=busybox', '--schedule=*/5 * * * *'),
    ).toBe('cronjob.batch/hello created\n');
    const { header, cells } = await row(['cj'], 'hello');
    expect(header).toEqual([
      'NAME',
      'SCHEDULE',
      'TIMEZONE',
      'SUSPEND',
      'ACTIVE',
      'LAST SCHEDULE',
      'AGE',
    ]);
    expect(cells.slice(1, 6)).toEqual(['*/5 * * * *', '<none>', 'False', '0', '<none>']);
    const cj = await getJson('cronjob', 'hello');
    expect(cj.spec.concurrencyPolicy).toBe('Allow');
    expect(cj.spec.successfulJobsHistoryLimit).toBe(3);
    expect(cj.spec.failedJobsHistoryLimit).toBe(1);
    const described = await ok('describe', 'cronjob', 'hello');
    expect(described).toMatch(/^Schedule:\s+\*\/5 \* \* \* \*$/m);
    expect(described).toMatch(/^Concurrency Policy:\s+Allow$/m);
    const file = manifest(
      'cj.yaml',
      [
        'apiVersion: batch/v1',
        'kind: CronJob',
        'metadata:',
        '  name: hello',
        'spec:',
        '  schedule: "@hourly"',
        '  suspend: true',
        '  jobTemplate:',
        '    spec:',
        '      template:',
        '        spec:',
        '          restartPolicy: OnFailure',
        '          containers:',
        '          - name: hello',
        '            image: busybox',
        '',
      ].join('\n'),
    );
    expect(await ok('apply', '-f', file)).toBe('cronjob.batch/hello configured\n');
    expect((await row(['cronjobs'], 'hello')).cells.slice(1, 4)).toEqual([
      '@hourly',
      '<none>',
      'True',
    ]);
    const bad = await k('create', 'cronjob', 'bad', '--image=busybox', '--schedule=every minute');
    expect(bad.stderr).toContain(
      'spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]',
    );
    expect(await ok('delete', 'cj', 'hello')).toBe('cronjob.batch "hello" deleted\n');
  });
});

describe('PodTemplate', () => {
  it('apply, get with its columns, describe, delete', async () => {
    const file = manifest(
      'pt.yaml',
      'apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: web\ntemplate:\n  metadata:\n    labels:\n      app: web\n  spec:\n    containers:\n    - name: web\n      image: nginx\n',
    );
    expect(await ok('apply', '-f', file)).toBe('podtemplate/web created\n');
    const { header, cells } = await row(['podtemplates'], 'web');
    expect(header).toEqual(['NAME', 'CONTAINERS', 'IMAGES', 'POD LABELS']);
    expect(cells.slice(1)).toEqual(['web', 'nginx', 'app=web']);
    const pt = await getJson('podtemplate', 'web');
    expect(pt.template.spec.restartPolicy).toBe('Always');
    // kubectl 1.32 has no typed describer for PodTemplate: it prints the generic field dump.
    const described = await ok('describe', 'podtemplate', 'web');
    expect(described).toMatch(/^Kind:\s+PodTemplate$/m);
    expect(described).toMatch(/^\s+Image:\s+nginx$/m);
    expect(await ok('delete', 'podtemplate', 'web')).toBe('podtemplate "web" deleted\n');
  });
});

describe('ControllerRevision', () => {
  it('apply, get with its columns, data immutable on replace, delete', async () => {
    const text = (image: string) =>
      [
        'apiVersion: apps/v1',
        'kind: ControllerRevision',
        'metadata:',
        '  name: web-1',
        '  ownerReferences:',
        '  - apiVersion: apps/v1',
        '    kind: DaemonSet',
        '    name: web',
        '    uid: 6d0e6c1e-0000-4000-8000-000000000001',
        '    controller: true',
        'data:',
        '  spec:',
        '    template:',
        '      spec:',
        '        containers:',
        '        - name: web',
        `          image: ${image}`,
        'revision: 1',
        '',
      ].join('\n');
    expect(await ok('apply', '-f', manifest('cr.yaml', text('nginx')))).toBe(
      'controllerrevision.apps/web-1 created\n',
    );
    const { header, cells } = await row(['controllerrevisions'], 'web-1');
    expect(header).toEqual(['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
    expect(cells.slice(1, 3)).toEqual(['daemonset.apps/web', '1']);
    expect(await ok('describe', 'controllerrevision', 'web-1')).toMatch(/^Revision:\s+1$/m);
    // kubectl's client-side apply cannot diff into a RawExtension (its own limit): replace.
    const changed = await k('replace', '-f', manifest('cr2.yaml', text('httpd')));
    expect(changed.stderr).toContain('data: Invalid value');
    expect(changed.stderr).toContain('field is immutable');
    expect(await ok('delete', 'controllerrevision', 'web-1')).toBe(
      'controllerrevision.apps "web-1" deleted\n',
    );
  });
});

describe('DaemonSet', () => {
  it('apply, get with its columns, describe, delete', async () => {
    const file = manifest(
      'ds.yaml',
      [
        'apiVersion: apps/v1',
        'kind: DaemonSet',
        'metadata:',
        '  name: agent',
        'spec:',
        '  selector:',
        '    matchLabels:',
        '      app: agent',
        '  template:',
        '    metadata:',
        '      labels:',
        '        app: agent',
        '    spec:',
        '      nodeSelector:',
        '        kubernetes.io/os: linux',
        '      containers:',
        '      - name: agent',
        '        image: busybox',
        '',
      ].join('\n'),
    );
    expect(await ok('apply', '-f', file)).toBe('daemonset.apps/agent created\n');
    const ds = await getJson('ds', 'agent');
    expect(ds.spec.updateStrategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    expect(ds.spec.revisionHistoryLimit).toBe(10);
    const { header, cells } = await row(['daemonsets'], 'agent');
    expect(header).toEqual([
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'NODE SELECTOR',
      'AGE',
    ]);
    expect(cells.slice(1, 7)).toEqual(['0', '0', '0', '0', '0', 'kubernetes.io/os=linux']);
    const described = await ok('describe', 'ds', 'agent');
    expect(described).toMatch(/^Selector:\s+app=agent$/m);
    expect(described).toMatch(/^Node-Selector:\s+kubernetes.io\/os=linux$/m);
    expect(await ok('delete', 'ds', 'agent')).toBe('daemonset.apps "agent" deleted\n');
  });
});
