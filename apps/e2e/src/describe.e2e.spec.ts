/**
 * `kubectl describe` reads more than the object: events by involvedObject field selectors, the
 * ReplicaSets a Deployment owns, a Service's Endpoints, the pods on a Node. With no controllers
 * or kubelets yet, the test writes those related objects itself, then checks describe shows them.
 */
import * as path from 'node:path';
import { useCluster } from './support';

const testdata = path.join(__dirname, '..', 'testdata');
const c = useCluster();
const ok = (args: string[], stdin?: string) => c.ok(args, stdin === undefined ? {} : { stdin });

const uidOf = async (kind: string, name: string) =>
  (await ok(['get', kind, name, '-o', 'jsonpath={.metadata.uid}'])).trim();

function event(
  name: string,
  obj: { kind: string; name: string; uid: string; apiVersion: string },
  reason: string,
  message: string,
  type = 'Normal',
  component = 'default-scheduler',
) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { ...obj, namespace: 'default' },
    reason,
    message,
    type,
    source: { component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  });
}

describe('kubectl describe', () => {
  it("describe pod shows containers, ports, QoS and the pod's events", async () => {
    await ok(['create', '-f', path.join(testdata, 'hello-pod.yaml')]);
    const uid = await uidOf('pod', 'hello');
    await ok(
      ['create', '-f', '-'],
      event(
        'hello.a',
        { kind: 'Pod', name: 'hello', uid, apiVersion: 'v1' },
        'Scheduled',
        'Successfully assigned default/hello to node-1',
      ),
    );
    // An event of another object must not show up.
    await ok(
      ['create', '-f', '-'],
      event(
        'other.a',
        { kind: 'Pod', name: 'other', uid: 'x', apiVersion: 'v1' },
        'Killing',
        'not this one',
      ),
    );
    const out = await ok(['describe', 'pod', 'hello']);
    expect(out).toMatch(/^Name:\s+hello$/m);
    expect(out).toMatch(/^Status:\s+Pending$/m);
    expect(out).toMatch(
      /^\s+nginx:\n\s+Image:\s+nginxdemos\/hello:plain-text\n\s+Port:\s+80\/TCP/m,
    );
    expect(out).toMatch(/^QoS Class:\s+BestEffort$/m);
    expect(out).toMatch(
      /^\s+Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/hello to node-1$/m,
    );
    expect(out).not.toContain('not this one');
  });

  it('describe deployment shows its strategy, conditions, its ReplicaSet and events', async () => {
    await ok(['create', 'deployment', 'web', '--image=nginx:1.14', '--replicas=2']);
    const uid = await uidOf('deployment', 'web');
    // What the deployment controller would write: an owned ReplicaSet with the same template.
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-5d4f8b6c9',
        labels: { app: 'web', 'pod-template-hash': '5d4f8b6c9' },
        annotations: { 'deployment.kubernetes.io/revision': '1' },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'web',
            uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f8b6c9' } },
        template: {
          metadata: { labels: { app: 'web', 'pod-template-hash': '5d4f8b6c9' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.14' }] },
        },
      },
    };
    await ok(['create', '-f', '-'], JSON.stringify(rs));
    await ok(
      ['create', '-f', '-'],
      event(
        'web.a',
        { kind: 'Deployment', name: 'web', uid, apiVersion: 'apps/v1' },
        'ScalingReplicaSet',
        'Scaled up replica set web-5d4f8b6c9 to 2',
        'Normal',
        'deployment-controller',
      ),
    );
    await ok([
      'patch',
      'deployment',
      'web',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          conditions: [
            {
              type: 'Available',
              status: 'False',
              reason: 'MinimumReplicasUnavailable',
              message: 'Deployment does not have minimum availability.',
            },
          ],
        },
      }),
    ]);
    const out = await ok(['describe', 'deployment', 'web']);
    expect(out).toMatch(
      /^Replicas:\s+2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable$/m,
    );
    expect(out).toMatch(/^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    expect(out).toMatch(/^\s+Available\s+False\s+MinimumReplicasUnavailable$/m);
    expect(out).toMatch(/^NewReplicaSet:\s+web-5d4f8b6c9 \(0\/2 replicas created\)$/m);
    expect(out).toMatch(
      /ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-5d4f8b6c9 to 2/,
    );
    const rsOut = await ok(['describe', 'rs', 'web-5d4f8b6c9']);
    expect(rsOut).toMatch(/^Controlled By:\s+Deployment\/web$/m);
    expect(rsOut).toMatch(/^Replicas:\s+0 current \/ 2 desired$/m);
  });

  it('describe service shows its ClusterIP, ports and endpoints', async () => {
    await ok(['create', 'service', 'clusterip', 'web', '--tcp=8080:80']);
    await ok(
      ['create', '-f', '-'],
      JSON.stringify({
        // kubectl 1.32 reads a Service's endpoints from its EndpointSlices.
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'web-abc12', labels: { 'kubernetes.io/service-name': 'web' } },
        addressType: 'IPv4',
        endpoints: [
          { addresses: ['127.244.0.5'], conditions: { ready: true } },
          { addresses: ['127.244.0.6'], conditions: { ready: true } },
        ],
        ports: [{ name: '8080-80', port: 80, protocol: 'TCP' }],
      }),
    );
    const out = await ok(['describe', 'svc', 'web']);
    expect(out).toMatch(/^Type:\s+ClusterIP$/m);
    expect(out).toMatch(/^IP:\s+127\.\d+\.\d+\.\d+$/m);
    expect(out).toMatch(/^Port:\s+8080-80\s+8080\/TCP$/m);
    expect(out).toMatch(/^TargetPort:\s+80\/TCP$/m);
    expect(out).toMatch(/^Endpoints:\s+127\.244\.0\.5:80,127\.244\.0\.6:80$/m);
  });

  it('describe node shows conditions, addresses, system info and its pods', async () => {
    await ok(['create', '-f', path.join(testdata, 'tables', 'node.yaml')]);
    await ok(
      ['create', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'on-node' },
        spec: {
          nodeName: 'node-1',
          containers: [
            {
              name: 'c',
              image: 'busybox',
              resources: { requests: { cpu: '100m', memory: '64Mi' } },
            },
          ],
        },
      }),
    );
    const out = await ok(['describe', 'node', 'node-1']);
    expect(out).toMatch(/^Name:\s+node-1$/m);
    expect(out).toMatch(/^Unschedulable:\s+true$/m);
    expect(out).toMatch(/^\s+Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status$/m);
    expect(out).toMatch(/^\s+InternalIP:\s+127\.0\.0\.2$/m);
    expect(out).toMatch(/^\s+Kernel Version:\s+6\.8\.0-kubeling$/m);
    expect(out).toMatch(/^\s+default\s+on-node\s+100m \(/m);
  });
});
