/**
 * kubectl's declarative and in-place update commands against a cluster started by
 * `kubeling up`: client-side apply (strategic merge patches computed by kubectl), server-side
 * apply with conflicts and --force-conflicts, set image, patch --type strategic, edit, and the
 * managedFields every write records (`get --show-managed-fields`), on the seed Pod, Deployment
 * and Service.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useCluster } from './support';

const testdata = path.join(__dirname, '..', 'testdata');
const podFile = path.join(testdata, 'hello-pod.yaml');
const deploymentFile = path.join(testdata, 'apply', 'rolling-deployment.yaml');
const serviceFile = path.join(testdata, 'apply', 'hello-service.yaml');

const c = useCluster();
let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-apply-e2e-'));
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const k = (args: string[]) => c.kubectl(args);
const ok = (...args: string[]) => c.ok(args);

/** A copy of a manifest with text replaced, written to the work directory. */
function variant(file: string, name: string, ...replacements: Array<[string, string]>): string {
  let text = fs.readFileSync(file, 'utf8');
  for (const [from, to] of replacements) {
    if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
    text = text.split(from).join(to);
  }
  const out = path.join(work, name);
  fs.writeFileSync(out, text);
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

async function json(...args: string[]): Promise<Doc> {
  return JSON.parse(await ok('get', ...args, '-o', 'json')) as Doc;
}

interface Entry {
  manager: string;
  operation: string;
  subresource?: string;
  fieldsV1: Record<string, unknown>;
}

async function managedFields(...target: string[]): Promise<Entry[]> {
  const yaml = await ok('get', ...target, '-o', 'json', '--show-managed-fields');
  return (
    (JSON.parse(yaml) as { metadata: { managedFields?: Entry[] } }).metadata.managedFields ?? []
  );
}

describe('client-side kubectl apply', () => {
  it('creates, leaves alone and configures the seed Pod', async () => {
    expect(await ok('apply', '-f', podFile)).toBe('pod/hello created\n');
    expect(await ok('apply', '-f', podFile)).toBe('pod/hello unchanged\n');
    const newer = variant(podFile, 'pod.yaml', [
      'nginxdemos/hello:plain-text',
      'nginxdemos/hello:latest',
    ]);
    expect(await ok('apply', '-f', newer)).toBe('pod/hello configured\n');
    expect(await ok('apply', '-f', newer)).toBe('pod/hello unchanged\n');
    const pod = await json('pod', 'hello');
    expect(pod.spec.containers.map((c: { image: string }) => c.image)).toEqual([
      'nginxdemos/hello:latest',
      'posquit0/doraemon:latest',
    ]);
    expect(pod.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toContain(
      'nginxdemos/hello:latest',
    );
  });

  it('configures the seed Deployment, and a port removed from the manifest goes away', async () => {
    const twoPorts = variant(deploymentFile, 'rolling-2ports.yaml', [
      '              protocol: TCP\n',
      '              protocol: TCP\n            - name: alt\n              containerPort: 8080\n',
    ]);
    expect(await ok('apply', '-f', twoPorts)).toBe('deployment.apps/rolling created\n');
    let d = await json('deployment', 'rolling');
    expect(
      d.spec.template.spec.containers[0].ports.map(
        (p: { containerPort: number }) => p.containerPort,
      ),
    ).toEqual([80, 8080]);
    expect(await ok('apply', '-f', deploymentFile)).toBe('deployment.apps/rolling configured\n');
    d = await json('deployment', 'rolling');
    expect(d.spec.template.spec.containers[0].ports).toEqual([
      { name: 'http', containerPort: 80, protocol: 'TCP' },
    ]);
    expect(await ok('apply', '-f', deploymentFile)).toBe('deployment.apps/rolling unchanged\n');
  });

  it('creates, leaves alone and configures the seed ClusterIP Service', async () => {
    expect(await ok('apply', '-f', serviceFile)).toBe('service/hello created\n');
    expect(await ok('apply', '-f', serviceFile)).toBe('service/hello unchanged\n');
    const moved = variant(serviceFile, 'svc.yaml', ['targetPort: 80', 'targetPort: 8081']);
    expect(await ok('apply', '-f', moved)).toBe('service/hello configured\n');
    const svc = await json('service', 'hello');
    expect(svc.spec.ports).toEqual([
      { name: 'http', protocol: 'TCP', port: 8080, targetPort: 8081 },
    ]);
    // The allocated ClusterIP stays, though no manifest mentions it.
    expect(svc.spec.clusterIP).toMatch(/^127\./);
  });
});

describe('in-place updates', () => {
  it('kubectl set image changes the container image (and the generation)', async () => {
    const before = await json('deployment', 'rolling');
    expect(await ok('set', 'image', 'deployment/rolling', 'nginx=nginxdemos/hello:latest')).toBe(
      'deployment.apps/rolling image updated\n',
    );
    const d = await json('deployment', 'rolling');
    expect(d.spec.template.spec.containers[0].image).toBe('nginxdemos/hello:latest');
    expect(d.metadata.generation).toBe(before.metadata.generation + 1);
  });

  it('kubectl patch --type strategic merges into the container list by name', async () => {
    const out = await ok(
      'patch',
      'deployment',
      'rolling',
      '--type',
      'strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"GREETING","value":"hi"}]}]}}}}',
    );
    expect(out).toBe('deployment.apps/rolling patched\n');
    const c = (await json('deployment', 'rolling')).spec.template.spec.containers;
    expect(c).toHaveLength(1);
    expect(c[0].env).toEqual([{ name: 'GREETING', value: 'hi' }]);
    expect(c[0].ports).toHaveLength(1);
  });

  it('kubectl edit applies what the editor changed', async () => {
    const editor = path.join(work, 'editor.sh');
    fs.writeFileSync(
      editor,
      `#!/bin/sh\nsed -i 's/minReadySeconds: 5$/minReadySeconds: 9/' "$1"\n`,
      {
        mode: 0o755,
      },
    );
    const cache = fs.mkdtempSync(path.join(work, 'cache-'));
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'kubectl',
        ['edit', 'deployment', 'rolling'],
        {
          env: {
            ...process.env,
            KUBECONFIG: c.cluster.kubeconfig,
            KUBECACHEDIR: cache,
            EDITOR: editor,
          },
          timeout: 30_000,
        },
        (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('deployment.apps/rolling edited\n');
    expect((await json('deployment', 'rolling')).spec.minReadySeconds).toBe(9);
  });

  it('get --show-managed-fields shows who changed what; plain get hides it', async () => {
    const entries = await managedFields('deployment', 'rolling');
    expect(entries.map((e) => [e.manager, e.operation])).toEqual(
      expect.arrayContaining([
        ['kubectl-client-side-apply', 'Update'],
        ['kubectl-set', 'Update'],
        ['kubectl-patch', 'Update'],
        ['kubectl-edit', 'Update'],
      ]),
    );
    const set = entries.find((e) => e.manager === 'kubectl-set');
    expect(set?.fieldsV1).toEqual({
      'f:spec': {
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } } },
      },
    });
    const yaml = await ok('get', 'deployment', 'rolling', '-o', 'yaml', '--show-managed-fields');
    expect(yaml).toMatch(
      /^ {2}managedFields:\n {2}- apiVersion: apps\/v1\n {4}fieldsType: FieldsV1\n/m,
    );
    expect(yaml).toContain('manager: kubectl-edit');
    expect(yaml).toContain('f:minReadySeconds: {}');
    expect(await ok('get', 'deployment', 'rolling', '-o', 'yaml')).not.toContain('managedFields');
  });
});

describe('kubectl apply --server-side', () => {
  const ssa = variant.bind(null, deploymentFile);
  let base: string;

  beforeAll(() => {
    base = ssa('ssa.yaml', ['name: rolling', 'name: ssa-demo'], ['app: rolling', 'app: ssa-demo']);
  });

  it('creates and updates, owning the fields it applied', async () => {
    expect(await ok('apply', '--server-side', '-f', base)).toBe(
      'deployment.apps/ssa-demo serverside-applied\n',
    );
    expect((await json('deployment', 'ssa-demo')).spec.replicas).toBe(5);
    const three = ssa(
      'ssa-3.yaml',
      ['name: rolling', 'name: ssa-demo'],
      ['app: rolling', 'app: ssa-demo'],
      ['replicas: 5', 'replicas: 3'],
    );
    expect(await ok('apply', '--server-side', '-f', three)).toBe(
      'deployment.apps/ssa-demo serverside-applied\n',
    );
    const d = await json('deployment', 'ssa-demo');
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].image).toBe('nginxdemos/hello:plain-text');
    const entries = await managedFields('deployment', 'ssa-demo');
    expect(entries.map((e) => [e.manager, e.operation])).toEqual([['kubectl', 'Apply']]);
  });

  it('conflicts after a client-side apply changed replicas, and --force-conflicts takes them', async () => {
    const four = ssa(
      'ssa-4.yaml',
      ['name: rolling', 'name: ssa-demo'],
      ['app: rolling', 'app: ssa-demo'],
      ['replicas: 5', 'replicas: 4'],
    );
    expect(await ok('apply', '-f', four)).toBe('deployment.apps/ssa-demo configured\n');
    expect((await json('deployment', 'ssa-demo')).spec.replicas).toBe(4);

    const six = ssa(
      'ssa-6.yaml',
      ['name: rolling', 'name: ssa-demo'],
      ['app: rolling', 'app: ssa-demo'],
      ['replicas: 5', 'replicas: 6'],
    );
    const refused = await k(['apply', '--server-side', '--field-manager=deployer', '-f', six]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    expect(refused.stderr).toContain('--force-conflicts');
    expect((await json('deployment', 'ssa-demo')).spec.replicas).toBe(4);

    expect(
      await ok(
        'apply',
        '--server-side',
        '--field-manager=deployer',
        '--force-conflicts',
        '-f',
        six,
      ),
    ).toBe('deployment.apps/ssa-demo serverside-applied\n');
    expect((await json('deployment', 'ssa-demo')).spec.replicas).toBe(6);
    const entries = await managedFields('deployment', 'ssa-demo');
    const deployer = entries.find((e) => e.manager === 'deployer');
    expect(deployer?.operation).toBe('Apply');
    expect(JSON.stringify(deployer?.fieldsV1)).toContain('"f:replicas"');
    const csa = entries.find((e) => e.manager === 'kubectl-client-side-apply');
    expect(JSON.stringify(csa?.fieldsV1 ?? {})).not.toContain('"f:replicas"');
  });

  it('takes over a client-side applied Service and keeps its spec (the kubectl-last-applied apply merges)', async () => {
    const svc = variant(serviceFile, 'svc-ssa.yaml', ['targetPort: 80', 'targetPort: 8082']);
    expect(await ok('apply', '--server-side', '-f', svc)).toBe(
      'service/hello serverside-applied\n',
    );
    const s = await json('service', 'hello');
    expect(s.spec.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080, targetPort: 8082 }]);
    expect(s.spec.selector).toEqual({ app: 'hello' });
    const entries = await managedFields('service', 'hello');
    expect(entries.map((e) => e.manager)).toEqual(
      expect.arrayContaining(['kubectl', 'kubectl-last-applied']),
    );
  });
});
