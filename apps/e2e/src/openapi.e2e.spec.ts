/**
 * The OpenAPI v3 documents through the real kubectl v1.32: `kubectl explain` reads the schemas
 * generated from the zod schemas (kinds, field types, `-required-`, the hand-written catalogue's
 * descriptions, enums), and `create -f` keeps leaving validation to the server because every
 * kind's PATCH operation carries the `fieldValidation` parameter.
 */
import { useCluster } from './support';

const c = useCluster();
const k = (args: string[], stdin?: string) => c.kubectl(args, stdin === undefined ? {} : { stdin });
const ok = (...args: string[]) => c.ok(args);

/** A pod whose first container misspells `image` as `images`. */
function podWithUnknownField(name: string): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  containers:',
    '  - name: web',
    '    image: nginx',
    '    images: nginx:1.27',
    '',
  ].join('\n');
}

describe('kubectl explain', () => {
  it('explains pod.spec.containers: kind, version, field type, description and fields', async () => {
    const out = await ok('explain', 'pod.spec.containers');
    expect(out).toMatch(/^KIND:\s+Pod$/m);
    expect(out).toMatch(/^VERSION:\s+v1$/m);
    expect(out).toMatch(/^FIELD: containers <\[\]Container>$/m);
    expect(out).toMatch(/^DESCRIPTION:\n\s+The application containers of the pod; at least one\./m);
    // The referenced type's own description follows the field's.
    expect(out).toContain('One container of a pod: the image it runs');
    expect(out).toMatch(/^FIELDS:$/m);
    expect(out).toMatch(/^\s+name\t<string> -required-$/m);
    expect(out).toMatch(/^\s+ports\t<\[\]ContainerPort>$/m);
    expect(out).toMatch(/^\s+resources\t<ResourceRequirements>$/m);
    expect(out).toMatch(/^\s+imagePullPolicy\t<string>\n\s+enum: Always, IfNotPresent, Never$/m);
  });

  it('explains deployment.spec.strategy.rollingUpdate.maxSurge as an IntOrString', async () => {
    const out = await ok('explain', 'deployment.spec.strategy.rollingUpdate.maxSurge');
    expect(out).toMatch(/^GROUP:\s+apps$/m);
    expect(out).toMatch(/^KIND:\s+Deployment$/m);
    expect(out).toMatch(/^FIELD: maxSurge <IntOrString>$/m);
    expect(out).toContain('How many pods may exist above the desired number during the update');
    expect(out).toContain('Either a whole number or a string: a port number or a port name');
  });

  it('explains deployment.spec.strategy --recursive down to the leaves', async () => {
    const out = await ok('explain', 'deployment.spec.strategy', '--recursive');
    expect(out).toMatch(/^FIELD: strategy <DeploymentStrategy>$/m);
    expect(out).toMatch(/^ {2}rollingUpdate\t<RollingUpdateDeployment>$/m);
    expect(out).toMatch(/^ {4}maxSurge\t<IntOrString>$/m);
    expect(out).toMatch(/^ {4}maxUnavailable\t<IntOrString>$/m);
    expect(out).toMatch(/^ {2}type\t<string>\n\s+enum: Recreate, RollingUpdate$/m);
  });

  it('explains svc by its short name, and service --recursive', async () => {
    const short = await ok('explain', 'svc');
    expect(short).toMatch(/^KIND:\s+Service$/m);
    expect(short).toContain('A stable name and virtual IP in front of a set of pods');
    expect(short).toMatch(/^\s+spec\t<ServiceSpec>$/m);

    const head = (await ok('explain', 'service', '--recursive')).split('\n').slice(0, 20);
    expect(head[0]).toMatch(/^KIND:\s+Service$/);
    expect(head[1]).toMatch(/^VERSION:\s+v1$/);
    expect(head).toContain('FIELDS:');
    expect(head).toContain('  apiVersion\t<string>');
    expect(head).toContain('  metadata\t<ObjectMeta>');
    expect(head).toContain('    annotations\t<map[string]string>');
  });

  it('explains quantities, timestamps and every kind of the scheme', async () => {
    expect(await ok('explain', 'pod.spec.containers.resources.limits')).toMatch(
      /^FIELD: limits <map\[string\]Quantity>$/m,
    );
    expect(await ok('explain', 'pod.metadata.creationTimestamp')).toMatch(
      /^FIELD: creationTimestamp <string>$/m,
    );
    for (const r of [
      'nodes',
      'namespaces',
      'events',
      'configmaps',
      'secrets',
      'endpoints',
      'replicationcontrollers',
      'resourcequotas',
      'replicasets',
      'endpointslices',
      'leases',
    ]) {
      const out = await ok('explain', r);
      expect(out).toMatch(/^DESCRIPTION:$/m);
      expect(out).toMatch(/^\s+metadata\t<ObjectMeta>( -required-)?$/m);
    }
  });

  it('names a field that does not exist', async () => {
    const r = await k(['explain', 'pod.spec.nosuchfield']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('field "nosuchfield" does not exist');
  });
});

describe('validation with the generated documents', () => {
  it('create -f still validates strictly on the server: the unknown field is named', async () => {
    const r = await k(['create', '-f', '-'], podWithUnknownField('strict'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (BadRequest)');
    expect(r.stderr).toContain('strict decoding error: unknown field "spec.containers[0].images"');
    expect((await k(['get', 'pod', 'strict'])).code).toBe(1);
  });

  it('--validate=warn creates the object and prints the server warning for the unknown field', async () => {
    // kubectl 1.32 sends fieldValidation=Warn; the server drops the field and warns.
    const r = await k(['create', '--validate=warn', '-f', '-'], podWithUnknownField('warned'));
    expect([r.code, r.stdout]).toEqual([0, 'pod/warned created\n']);
    expect(r.stderr).toContain('Warning: unknown field "spec.containers[0].images"');
    expect(await ok('get', 'pod', 'warned', '-o', 'jsonpath={.spec.containers[0].image}')).toBe(
      'nginx',
    );
  });

  it('--validate=false ignores the unknown field silently', async () => {
    const r = await k(['create', '--validate=false', '-f', '-'], podWithUnknownField('ignored'));
    expect([r.code, r.stdout]).toEqual([0, 'pod/ignored created\n']);
    expect(r.stderr).not.toContain('unknown field');
  });
});
