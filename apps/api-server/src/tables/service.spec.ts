import type { Service } from '@kubeling/api';
import {
  formatLabels,
  loadBalancerStatus,
  serviceColumns,
  serviceExternalIP,
  servicePorts,
  servicePrinter,
} from './service';

const now = Date.parse('2024-05-01T10:00:00Z');

function svc(spec: Service['spec'], status: Service['status'] = {}): Service {
  return {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T09:59:30Z' },
    spec,
    status,
  };
}

describe('service columns', () => {
  it('are NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, and wide SELECTOR', () => {
    expect(serviceColumns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Type:0',
      'Cluster-IP:0',
      'External-IP:0',
      'Port(s):0',
      'Age:0',
      'Selector:1',
    ]);
  });
});

describe('service PORT(S)', () => {
  it('reads port/protocol, with the node port in between when there is one', () => {
    expect(servicePorts([{ port: 80, protocol: 'TCP' }])).toBe('80/TCP');
    expect(
      servicePorts([
        { port: 80, protocol: 'TCP', nodePort: 30080 },
        { port: 53, protocol: 'UDP' },
      ]),
    ).toBe('80:30080/TCP,53/UDP');
    expect(servicePorts([])).toBe('');
  });
});

describe('service EXTERNAL-IP', () => {
  it('is <none> for ClusterIP and NodePort services without externalIPs, else those', () => {
    expect(serviceExternalIP(svc({ type: 'ClusterIP' }))).toBe('<none>');
    expect(serviceExternalIP(svc({ type: 'NodePort' }))).toBe('<none>');
    expect(serviceExternalIP(svc({ type: 'ClusterIP', externalIPs: ['1.2.3.4', '5.6.7.8'] }))).toBe(
      '1.2.3.4,5.6.7.8',
    );
  });

  it('is <pending> for a LoadBalancer without ingress, the ingress IPs or hostnames once assigned', () => {
    expect(serviceExternalIP(svc({ type: 'LoadBalancer' }))).toBe('<pending>');
    const lb = {
      loadBalancer: {
        ingress: [{ ip: '192.0.2.10' }, { hostname: 'lb.example.com' }, { ip: '192.0.2.10' }],
      },
    };
    expect(serviceExternalIP(svc({ type: 'LoadBalancer' }, lb))).toBe('192.0.2.10,lb.example.com');
    expect(serviceExternalIP(svc({ type: 'LoadBalancer', externalIPs: ['1.2.3.4'] }, lb))).toBe(
      '192.0.2.10,lb.example.com,1.2.3.4',
    );
    expect(serviceExternalIP(svc({ type: 'LoadBalancer', externalIPs: ['1.2.3.4'] }))).toBe(
      '1.2.3.4',
    );
  });

  it('clips a long load-balancer list outside -o wide', () => {
    const s = { ingress: [{ ip: '192.0.2.10' }, { ip: '192.0.2.11' }] };
    expect(loadBalancerStatus(s, false)).toBe('192.0.2.10,19...');
    expect(loadBalancerStatus(s, true)).toBe('192.0.2.10,192.0.2.11');
  });

  it('is the external name of an ExternalName service, <unknown> for an unknown type', () => {
    expect(serviceExternalIP(svc({ type: 'ExternalName', externalName: 'db.example.com' }))).toBe(
      'db.example.com',
    );
    expect(serviceExternalIP(svc({ type: 'Weird' }))).toBe('<unknown>');
  });
});

describe('service row', () => {
  it('prints the first cluster IP, ports, age and selector', () => {
    const s = svc({
      type: 'NodePort',
      clusterIP: '127.96.0.10',
      clusterIPs: ['127.96.0.10'],
      selector: { tier: 'web', app: 'shop' },
      ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }],
    });
    expect(servicePrinter.print(s, now).cells).toEqual([
      'web',
      'NodePort',
      '127.96.0.10',
      '<none>',
      '80:30080/TCP',
      '30s',
      'app=shop,tier=web',
    ]);
  });

  it('prints None for a headless service, <none> without ports or selector', () => {
    const s = svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] });
    expect(servicePrinter.print(s, now).cells).toEqual([
      'web',
      'ClusterIP',
      'None',
      '<none>',
      '<none>',
      '30s',
      '<none>',
    ]);
    const external = svc({ type: 'ExternalName', externalName: 'x.example.com' });
    expect(servicePrinter.print(external, now).cells[2]).toBe('<none>');
  });

  it('formats labels sorted by key', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels(undefined)).toBe('<none>');
  });
});
