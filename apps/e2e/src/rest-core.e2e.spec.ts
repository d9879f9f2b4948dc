/**
 * The REST core through the real kubectl v1.32, against a cluster started by `kubeling up`:
 * version, api-resources, create -f, get in every output format, selectors, label, annotate,
 * patch, delete, watch, and the Status errors kubectl prints for bad input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useCluster } from './support';

const testdata = path.join(__dirname, '..', 'testdata');
const c = useCluster();
const k = (args: string[], opts: { stdin?: string; timeoutMs?: number } = {}) =>
  c.kubectl(args, opts);
const ok = (...args: string[]) => c.ok(args);

describe('kubectl against kubeling', () => {
  it('version reports a v1.32 server', async () => {
    expect(await ok('version')).toMatch(/Server Version: v1\.32\.\d+/);
  });

  it('api-resources lists every kind with its short names', async () => {
    const out = await ok('api-resources');
    expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
    expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    expect(out).toMatch(/^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease$/m);
  });

  it('create -f makes the seed pod, and refuses it a second time with AlreadyExists', async () => {
    expect(await ok('create', '-f', path.join(testdata, 'hello-pod.yaml'))).toBe(
      'pod/hello created\n',
    );
    const again = await k(['create', '-f', path.join(testdata, 'hello-pod.yaml')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Error from server (AlreadyExists)');
    expect(again.stderr).toContain('pods "hello" already exists');
  });

  it('get -o yaml / json / name / jsonpath show the stored, defaulted object', async () => {
    const yaml = await ok('get', 'pod', 'hello', '-o', 'yaml');
    expect(yaml).toMatch(/^kind: Pod$/m);
    expect(yaml).toMatch(/uid: [0-9a-f-]{36}/);
    expect(yaml).toMatch(/protocol: TCP/);
    const json = JSON.parse(await ok('get', 'pod', 'hello', '-o', 'json'));
    expect(json.spec.containers.map((c: { name: string }) => c.name)).toEqual(['nginx', 'debug']);
    expect(json.spec.containers[1].imagePullPolicy).toBe('Always');
    expect(json.status.phase).toBe('Pending');
    expect(await ok('get', 'pods', '-o', 'name')).toContain('pod/hello\n');
    expect(
      await ok('get', 'pod', 'hello', '-o', 'jsonpath={.spec.containers[0].ports[0].name}'),
    ).toBe('http');
  });

  it('selects by equality- and set-based labels, by fields, and across namespaces', async () => {
    await ok('create', '-f', path.join(testdata, 'labelled-pods.yaml'));
    const names = async (...args: string[]) =>
      (await ok('get', 'pods', '-o', 'name', ...args)).trim().split('\n').sort();
    expect(await names('-l', 'type=web')).toEqual(['pod/pod-web-dev', 'pod/pod-web-prod']);
    expect(await names('-l', 'env=prod,type!=web')).toEqual(['pod/pod-server-prod']);
    expect(await names('-l', 'type in (db,server)')).toEqual([
      'pod/pod-db-dev',
      'pod/pod-server-prod',
    ]);
    // notin also matches pods without the key: hello has env but no type.
    expect(await names('-l', 'type notin (web),env')).toEqual([
      'pod/hello',
      'pod/pod-db-dev',
      'pod/pod-server-prod',
    ]);
    expect(await names('-l', '!app')).toEqual([
      'pod/pod-db-dev',
      'pod/pod-server-prod',
      'pod/pod-web-dev',
      'pod/pod-web-prod',
    ]);
    expect(await names('--field-selector', 'metadata.name=pod-db-dev')).toEqual(['pod/pod-db-dev']);
    expect(await names('--field-selector', 'status.phase=Pending', '-l', 'env=dev')).toEqual([
      'pod/hello',
      'pod/pod-db-dev',
      'pod/pod-web-dev',
    ]);
    const all = await ok('get', 'namespaces', '-A', '-o', 'name');
    expect(all).toContain('namespace/kube-system');
    const everywhere = await ok(
      'get',
      'services',
      '-A',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    );
    expect(everywhere).toContain('kubernetes');
  });

  it('label, annotate and patch (merge and json) change the object', async () => {
    expect(await ok('label', 'pod', 'hello', 'tier=frontend')).toBe('pod/hello labeled\n');
    expect(await ok('annotate', 'pod', 'hello', 'owner=team-a')).toBe('pod/hello annotated\n');
    await ok(
      'patch',
      'pod',
      'hello',
      '--type',
      'merge',
      '-p',
      '{"metadata":{"labels":{"stage":"one"}}}',
    );
    await ok(
      'patch',
      'pod',
      'hello',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/metadata/labels/stage","value":"two"}]',
    );
    await ok('label', 'pod', 'hello', 'env-');
    const pod = JSON.parse(await ok('get', 'pod', 'hello', '-o', 'json'));
    expect(pod.metadata.labels).toEqual({ app: 'hello', tier: 'frontend', stage: 'two' });
    expect(pod.metadata.annotations).toEqual({ owner: 'team-a' });
    const refused = await k(['label', 'pod', 'hello', 'tier=backend']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "'tier' already has a value (frontend), and --overwrite is false",
    );
  });

  it('get -w streams changes as they happen', async () => {
    const watching = k(['get', 'pods', '-w', '-o', 'name'], { timeoutMs: 8_000 });
    await new Promise((r) => setTimeout(r, 2_500));
    await ok('label', 'pod', 'pod-web-dev', 'watched=yes');
    await ok('delete', 'pod', 'pod-web-prod');
    const r = await watching;
    expect(r.timedOut).toBe(true);
    const lines = r.stdout.trim().split('\n');
    // The initial list, then a line per change.
    expect(lines.filter((l) => l === 'pod/pod-web-dev').length).toBeGreaterThanOrEqual(2);
    expect(lines.filter((l) => l === 'pod/pod-web-prod').length).toBeGreaterThanOrEqual(2);
  });

  it('delete by name, by label and with -f', async () => {
    expect(await ok('delete', 'pod', 'pod-db-dev')).toBe('pod "pod-db-dev" deleted\n');
    expect(await ok('delete', 'pods', '-l', 'env=prod')).toBe('pod "pod-server-prod" deleted\n');
    expect(await ok('delete', '-f', path.join(testdata, 'hello-pod.yaml'))).toBe(
      'pod "hello" deleted\n',
    );
    const missing = await k(['get', 'pod', 'hello']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): pods "hello" not found');
  });

  it('rejects a misspelled field (seed kubia-manual) naming the field, and stores nothing', async () => {
    const r = await k(['create', '-f', path.join(testdata, 'kubia-manual.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error from server (BadRequest): error when creating "' +
        path.join(testdata, 'kubia-manual.yaml') +
        '": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].images"',
    );
    expect((await k(['get', 'pod', 'kubia-manual'])).code).toBe(1);
  });

  it('rejects an invalid pod with 422 Invalid and its field path', async () => {
    const r = await k(['create', '-f', path.join(testdata, 'invalid-pod.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'The Pod "no-image" is invalid: spec.containers[0].image: Required value',
    );
  });

  it('rejects a malformed body with a 400 BadRequest Status', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeling-e2e-'));
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{"apiVersion":"v1","kind":"Pod","metadata":{"name":');
    try {
      const r = await k(['create', '--raw', '/api/v1/namespaces/default/pods', '-f', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Error from server (BadRequest)');
      // kubectl itself refuses YAML it cannot parse, before any request.
      const local = await k(['create', '-f', path.join(testdata, 'malformed.yaml')]);
      expect(local.code).toBe(1);
      expect(local.stderr).toMatch(/error (converting YAML to JSON|parsing)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses content in a namespace that does not exist', async () => {
    const r = await k(['create', '-f', '-'], {
      stdin:
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: nowhere\ndata:\n  a: b\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error from server (NotFound): error when creating "STDIN": namespaces "nowhere" not found',
    );
  });
});
