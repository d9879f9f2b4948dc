/**
 * `kubectl create <kind>` generators through the real kubectl v1.32. They POST their objects as
 * Kubernetes protobuf (`application/vnd.kubernetes.protobuf`, a runtime.Unknown envelope), not
 * JSON; the stored objects must come out as if the same object had been sent as JSON, defaults
 * included. `--dry-run=server` must store nothing.
 */
import { useCluster } from './support';

const c = useCluster();
const k = (...args: string[]) => c.kubectl(args);
const ok = (...args: string[]) => c.ok(args);

/** The object as `get -o json` prints it (JSON.parse's any: checked field by field below). */
async function getJson(...args: string[]) {
  return JSON.parse(await ok('get', ...args, '-o', 'json'));
}

describe('kubectl create generators (protobuf bodies)', () => {
  it('create namespace', async () => {
    expect(await ok('create', 'namespace', 'gen-ns')).toBe('namespace/gen-ns created\n');
    const ns = await getJson('namespace', 'gen-ns');
    expect(ns.kind).toBe('Namespace');
    expect(ns.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(ns.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    expect(ns.status.phase).toBe('Active');
  });

  it('create deployment, with replicas and a port', async () => {
    expect(
      await ok('create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=80'),
    ).toBe('deployment.apps/web created\n');
    const d = await getJson('deployment', 'web');
    expect(d.metadata.labels).toEqual({ app: 'web' });
    expect(d.metadata.generation).toBe(1);
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(d.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    const pod = d.spec.template.spec;
    expect(d.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(pod.containers).toHaveLength(1);
    expect(pod.containers[0]).toMatchObject({
      name: 'nginx',
      image: 'nginx',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      resources: {},
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    expect(pod).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
    });
  });

  it('create service clusterip', async () => {
    expect(await ok('create', 'service', 'clusterip', 'svc', '--tcp=80:8080')).toBe(
      'service/svc created\n',
    );
    const s = await getJson('service', 'svc');
    expect(s.metadata.labels).toEqual({ app: 'svc' });
    expect(s.spec.type).toBe('ClusterIP');
    expect(s.spec.selector).toEqual({ app: 'svc' });
    expect(s.spec.ports).toEqual([
      { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
    ]);
    expect(s.spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(s.spec.clusterIPs).toEqual([s.spec.clusterIP]);
    expect(s.spec.sessionAffinity).toBe('None');
    expect(s.spec.ipFamilies).toEqual(['IPv4']);
    expect(s.spec.ipFamilyPolicy).toBe('SingleStack');
    expect(s.spec.internalTrafficPolicy).toBe('Cluster');
  });

  it('create service nodeport, with a chosen and an allocated node port', async () => {
    expect(
      await ok('create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'),
    ).toBe('service/np created\n');
    const s = await getJson('service', 'np');
    expect(s.spec.type).toBe('NodePort');
    expect(s.spec.ports).toEqual([
      { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 },
    ]);
    expect(s.spec.externalTrafficPolicy).toBe('Cluster');
    await ok('create', 'service', 'nodeport', 'np2', '--tcp=443');
    const s2 = await getJson('service', 'np2');
    expect(s2.spec.ports[0].targetPort).toBe(443);
    expect(s2.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(s2.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
  });

  it('create configmap', async () => {
    expect(await ok('create', 'configmap', 'c', '--from-literal=a=b', '--from-literal=x=y')).toBe(
      'configmap/c created\n',
    );
    const cm = await getJson('configmap', 'c');
    expect(cm.data).toEqual({ a: 'b', x: 'y' });
    expect(cm.binaryData).toBeUndefined();
  });

  it('create secret generic keeps the bytes, base64 in JSON', async () => {
    expect(await ok('create', 'secret', 'generic', 's', '--from-literal=p=q')).toBe(
      'secret/s created\n',
    );
    const s = await getJson('secret', 's');
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({ p: Buffer.from('q').toString('base64') });
    expect(await ok('get', 'secret', 's', '-o', 'jsonpath={.data.p}')).toBe('cQ==');
  });

  it('create quota', async () => {
    expect(await ok('create', 'quota', 'q', '--hard=pods=10,cpu=2')).toBe(
      'resourcequota/q created\n',
    );
    const q = await getJson('resourcequota', 'q');
    expect(q.spec.hard).toEqual({ cpu: '2', pods: '10' });
  });

  it('the other generators of served kinds: loadbalancer, externalname, docker-registry', async () => {
    expect(await ok('create', 'service', 'loadbalancer', 'lb', '--tcp=443:8443')).toBe(
      'service/lb created\n',
    );
    const lb = await getJson('service', 'lb');
    expect(lb.spec.type).toBe('LoadBalancer');
    expect(lb.spec.ports[0]).toMatchObject({ port: 443, targetPort: 8443, protocol: 'TCP' });
    expect(lb.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(lb.spec.allocateLoadBalancerNodePorts).toBe(true);

    expect(
      await ok('create', 'service', 'externalname', 'ext', '--external-name=example.com'),
    ).toBe('service/ext created\n');
    const ext = await getJson('service', 'ext');
    expect(ext.spec).toMatchObject({ type: 'ExternalName', externalName: 'example.com' });
    expect(ext.spec.clusterIP).toBeUndefined();

    const reg = ['--docker-server=r.io', '--docker-username=u', '--docker-password=p'];
    expect(await ok('create', 'secret', 'docker-registry', 'reg', ...reg)).toBe(
      'secret/reg created\n',
    );
    const s = await getJson('secret', 'reg');
    expect(s.type).toBe('kubernetes.io/dockerconfigjson');
    expect(JSON.parse(Buffer.from(s.data['.dockerconfigjson'], 'base64').toString())).toEqual({
      auths: {
        'r.io': { username: 'u', password: 'p', auth: Buffer.from('u:p').toString('base64') },
      },
    });
  });

  it('--dry-run=server answers as if created and stores nothing', async () => {
    expect(await ok('create', 'deployment', 'dry', '--image=nginx', '--dry-run=server')).toBe(
      'deployment.apps/dry created (server dry run)\n',
    );
    expect(await ok('create', 'configmap', 'dry', '--from-literal=a=b', '--dry-run=server')).toBe(
      'configmap/dry created (server dry run)\n',
    );
    const dep = await k('get', 'deployment', 'dry');
    expect(dep.code).toBe(1);
    expect(dep.stderr).toContain('deployments.apps "dry" not found');
    const cm = await k('get', 'configmap', 'dry');
    expect(cm.code).toBe(1);
    expect(cm.stderr).toContain('configmaps "dry" not found');
  });

  it('refuses a second create with AlreadyExists, as for JSON bodies', async () => {
    const again = await k('create', 'configmap', 'c', '--from-literal=a=b');
    expect(again.code).toBe(1);
    // The generators word server errors themselves ("failed to create <kind>: <message>").
    expect(again.stderr).toBe('error: failed to create configmap: configmaps "c" already exists\n');
  });

  it('a kind kubeling does not serve is a 404, not a decode error', async () => {
    // rbac.authorization.k8s.io is not served (ServiceAccount, which this used, now is).
    const r = await k('create', 'clusterrole', 'reader', '--verb=get', '--resource=pods');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
  });
});
