import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import type { Status } from '../../meta/status';
import { isStatusError } from '../../meta/status';
import type { Service } from './service';
import { normalizeClusterIPs, serviceKind } from './service';

/** decode → default → PrepareForCreate → validate, as the api-server runs a create. */
function create(raw: Record<string, unknown>): Service {
  const { object } = decode(serviceKind, raw);
  object.metadata.namespace ??= 'default';
  applyDefaults(serviceKind, object);
  serviceKind.prepareForCreate?.(object);
  validateCreate(serviceKind, object);
  return object;
}

function update(raw: Record<string, unknown>, old: Service): Service {
  const { object } = decode(serviceKind, raw);
  object.metadata.namespace ??= 'default';
  applyDefaults(serviceKind, object);
  serviceKind.prepareForUpdate?.(object, old);
  validateUpdate(serviceKind, object, old);
  return object;
}

function failure(fn: () => unknown): Status {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('expected a StatusError');
}

const svc = (name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...extra },
  spec,
});

/** The message kubectl prints after `The Service "<name>" is invalid: `. */
function invalidMessage(raw: Record<string, unknown>): string | undefined {
  const st = failure(() => create(raw));
  expect(st.code).toBe(422);
  return st.message;
}

describe('Service kind', () => {
  it('is registered as kubectl api-resources shows it', () => {
    expect(serviceKind).toMatchObject({
      group: '',
      version: 'v1',
      kind: 'Service',
      resource: 'services',
      singular: 'service',
      namespaced: true,
      shortNames: ['svc'],
      categories: ['all'],
      subresources: ['status', 'proxy'],
    });
  });

  it('exposes spec.clusterIP and spec.type as field labels', () => {
    const s = create(
      svc('web', { type: 'NodePort', clusterIP: '10.96.0.7', ports: [{ port: 80 }] }),
    );
    expect(serviceKind.fieldLabels?.(s)).toEqual({
      'spec.clusterIP': '10.96.0.7',
      'spec.type': 'NodePort',
    });
  });
});

describe('Service seed manifests', () => {
  it('svc-1: ClusterIP with port 9000 → targetPort 8080', () => {
    const s = create(
      svc('svc-1', {
        selector: { app: 'pod' },
        ports: [{ port: 9000, targetPort: 8080 }],
        type: 'ClusterIP',
      }),
    );
    expect(s.spec).toEqual({
      ports: [{ port: 9000, targetPort: 8080, protocol: 'TCP' }],
      selector: { app: 'pod' },
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    });
    expect(s.status).toEqual({ loadBalancer: {} });
  });

  it('hello: NodePort with a named port and no nodePort (the allocator picks one)', () => {
    const s = create(
      svc(
        'hello',
        {
          type: 'NodePort',
          ports: [{ name: 'http', protocol: 'TCP', port: 8080, targetPort: 80 }],
          selector: { app: 'hello' },
        },
        { labels: { app: 'hello' } },
      ),
    );
    expect(s.spec.externalTrafficPolicy).toBe('Cluster');
    expect(s.spec.internalTrafficPolicy).toBe('Cluster');
    expect(s.spec.ports?.[0]).toEqual({
      name: 'http',
      protocol: 'TCP',
      port: 8080,
      targetPort: 80,
    });
    expect(s.spec.allocateLoadBalancerNodePorts).toBeUndefined();
  });

  it('webui-svc: a requested clusterIP is kept and mirrored into clusterIPs', () => {
    const s = create(
      svc('webui-svc', {
        clusterIP: '10.96.100.100',
        selector: { app: 'webui' },
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
      }),
    );
    expect(s.spec.type).toBe('ClusterIP');
    expect(s.spec.clusterIP).toBe('10.96.100.100');
    expect(s.spec.clusterIPs).toEqual(['10.96.100.100']);
  });

  it('nodeport-service: NodePort with clusterIP and nodePort 30200', () => {
    const s = create(
      svc('nodeport-service', {
        type: 'NodePort',
        clusterIP: '10.100.100.200',
        selector: { app: 'webui' },
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30200 }],
      }),
    );
    expect(s.spec.ports?.[0]?.nodePort).toBe(30200);
    expect(s.spec.clusterIPs).toEqual(['10.100.100.200']);
  });

  it('svc-3 / loadbalancer-service: LoadBalancer defaults', () => {
    const s = create(
      svc('svc-3', {
        selector: { app: 'pod' },
        ports: [{ port: 9000, targetPort: 8080, nodePort: 30000 }],
        type: 'LoadBalancer',
      }),
    );
    expect(s.spec).toMatchObject({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      sessionAffinity: 'None',
    });
    const lb = create(
      svc('loadbalancer-service', {
        type: 'LoadBalancer',
        selector: { app: 'webui' },
        ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
      }),
    );
    expect(lb.spec.allocateLoadBalancerNodePorts).toBe(true);
  });

  it('externalname-svc: ExternalName google.com gets no traffic policies', () => {
    const s = create(svc('externalname-svc', { type: 'ExternalName', externalName: 'google.com' }));
    expect(s.spec).toEqual({
      type: 'ExternalName',
      externalName: 'google.com',
      sessionAffinity: 'None',
    });
  });

  it('svc-2: externalTrafficPolicy "local" (lower case) is rejected with upstream\'s message', () => {
    const raw = svc('svc-2', {
      selector: { app: 'pod' },
      ports: [{ port: 9000, targetPort: 8080, nodePort: 30000 }],
      type: 'NodePort',
      externalTrafficPolicy: 'local',
    });
    const st = failure(() => create(raw));
    expect(st.code).toBe(422);
    expect(st.reason).toBe('Invalid');
    expect(st.message).toBe(
      'Service "svc-2" is invalid: spec.externalTrafficPolicy: Unsupported value: "local": supported values: "Cluster", "Local"',
    );
    expect(st.details?.causes).toEqual([
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "local": supported values: "Cluster", "Local"',
        field: 'spec.externalTrafficPolicy',
      },
    ]);
  });
});

describe('Service defaults', () => {
  it('targetPort defaults to port when absent, 0 or ""', () => {
    const s = create(
      svc('a', {
        ports: [
          { name: 'x', port: 81 },
          { name: 'y', port: 82, targetPort: '' },
          { name: 'z', port: 83, targetPort: 0 },
        ],
      }),
    );
    expect(s.spec.ports?.map((p) => p.targetPort)).toEqual([81, 82, 83]);
  });

  it('keeps a named targetPort', () => {
    const s = create(svc('a', { ports: [{ port: 80, targetPort: 'http' }] }));
    expect(s.spec.ports?.[0]?.targetPort).toBe('http');
  });

  it('ClientIP affinity gets the 3-hour timeout; None drops any config', () => {
    const s = create(svc('a', { ports: [{ port: 80 }], sessionAffinity: 'ClientIP' }));
    expect(s.spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    const n = create(
      svc('b', {
        ports: [{ port: 80 }],
        sessionAffinity: 'None',
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } },
      }),
    );
    expect(n.spec.sessionAffinityConfig).toBeUndefined();
  });

  it('a ClusterIP service with externalIPs is externally accessible: externalTrafficPolicy Cluster', () => {
    const s = create(svc('a', { ports: [{ port: 80 }], externalIPs: ['192.168.10.1'] }));
    expect(s.spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('drops the status a client sends on create', () => {
    const s = create({
      ...svc('a', { ports: [{ port: 80 }] }),
      status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } },
    });
    expect(s.status).toEqual({ loadBalancer: {} });
  });

  it('defaults ipMode VIP on LoadBalancer ingress IPs', () => {
    const { object } = decode(serviceKind, {
      ...svc('a', { type: 'LoadBalancer', ports: [{ port: 80 }] }),
      status: { loadBalancer: { ingress: [{ ip: '127.0.2.1' }, { hostname: 'lb.example.com' }] } },
    });
    applyDefaults(serviceKind, object);
    expect(object.status.loadBalancer?.ingress).toEqual([
      { ip: '127.0.2.1', ipMode: 'VIP' },
      { hostname: 'lb.example.com' },
    ]);
  });

  it('a missing port decodes as 0 and fails as 0, as Go does', () => {
    expect(invalidMessage(svc('a', { ports: [{ targetPort: 80 }] }))).toBe(
      'Service "a" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    );
  });
});

describe('Service validation messages', () => {
  const dns1035 =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

  it('names are DNS-1035 labels', () => {
    expect(invalidMessage(svc('1svc', { ports: [{ port: 80 }] }))).toBe(
      `Service "1svc" is invalid: metadata.name: Invalid value: "1svc": ${dns1035}`,
    );
    expect(invalidMessage(svc('svc.web', { ports: [{ port: 80 }] }))).toBe(
      `Service "svc.web" is invalid: metadata.name: Invalid value: "svc.web": ${dns1035}`,
    );
  });

  it('ports are required except for headless and ExternalName services', () => {
    expect(invalidMessage(svc('a', { selector: { app: 'x' } }))).toBe(
      'Service "a" is invalid: spec.ports: Required value',
    );
    expect(() =>
      create(svc('headless', { clusterIP: 'None', selector: { app: 'x' } })),
    ).not.toThrow();
  });

  it('requires a name on every port when there are several', () => {
    expect(invalidMessage(svc('a', { ports: [{ name: 'http', port: 80 }, { port: 443 }] }))).toBe(
      'Service "a" is invalid: spec.ports[1].name: Required value',
    );
  });

  it('port names are unique DNS-1123 labels', () => {
    expect(
      invalidMessage(
        svc('a', {
          ports: [
            { name: 'http', port: 80 },
            { name: 'http', port: 81 },
          ],
        }),
      ),
    ).toBe('Service "a" is invalid: spec.ports[1].name: Duplicate value: "http"');
    expect(invalidMessage(svc('a', { ports: [{ name: 'Http', port: 80 }] }))).toBe(
      `Service "a" is invalid: spec.ports[0].name: Invalid value: "Http": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
  });

  it('checks port ranges, protocols and target ports', () => {
    expect(invalidMessage(svc('a', { ports: [{ port: 70000, targetPort: 80 }] }))).toBe(
      'Service "a" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    );
    expect(invalidMessage(svc('a', { ports: [{ port: 80, protocol: 'HTTP' }] }))).toBe(
      'Service "a" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    );
    expect(invalidMessage(svc('a', { ports: [{ port: 80, targetPort: 'web_port' }] }))).toBe(
      'Service "a" is invalid: spec.ports[0].targetPort: Invalid value: "web_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    );
    expect(invalidMessage(svc('a', { ports: [{ port: 80, targetPort: 65536 }] }))).toBe(
      'Service "a" is invalid: spec.ports[0].targetPort: Invalid value: 65536: must be between 1 and 65535, inclusive',
    );
  });

  it('rejects the same port and protocol twice, printing the key as Go does', () => {
    expect(
      invalidMessage(
        svc('a', {
          ports: [
            { name: 'a', port: 80 },
            { name: 'b', port: 80, targetPort: 81 },
          ],
        }),
      ),
    ).toBe(
      'Service "a" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    );
    // Same port over another protocol is fine.
    expect(() =>
      create(
        svc('a', {
          ports: [
            { name: 'a', port: 53 },
            { name: 'b', port: 53, protocol: 'UDP' },
          ],
        }),
      ),
    ).not.toThrow();
  });

  it('allows nodePort only on NodePort and LoadBalancer services', () => {
    expect(invalidMessage(svc('a', { ports: [{ port: 80, nodePort: 30080 }] }))).toBe(
      'Service "a" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is \'ClusterIP\'',
    );
    expect(
      invalidMessage(
        svc('a', {
          type: 'NodePort',
          ports: [
            { name: 'a', port: 80, nodePort: 30080 },
            { name: 'b', port: 81, nodePort: 30080 },
          ],
        }),
      ),
    ).toBe('Service "a" is invalid: spec.ports[1].nodePort: Duplicate value: 30080');
  });

  it('leaves the nodePort range to the allocator', () => {
    expect(() =>
      create(svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] })),
    ).not.toThrow();
  });

  it('clusterIP must be an IP or None', () => {
    expect(invalidMessage(svc('a', { clusterIP: '10.96.0.300', ports: [{ port: 80 }] }))).toBe(
      'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    );
    expect(
      invalidMessage(svc('a', { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] })),
    ).toBe(
      'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services',
    );
    expect(
      invalidMessage(
        svc('a', { clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.2'], ports: [{ port: 80 }] }),
      ),
    ).toBe(
      'Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.2"}: first value must match `clusterIP`',
    );
    expect(() => create(svc('v6', { clusterIP: 'fd00::10', ports: [{ port: 80 }] }))).not.toThrow();
  });

  it('ExternalName needs a DNS-1123 subdomain and no cluster IP', () => {
    expect(invalidMessage(svc('a', { type: 'ExternalName' }))).toBe(
      'Service "a" is invalid: spec.externalName: Required value',
    );
    expect(invalidMessage(svc('a', { type: 'ExternalName', externalName: 'Google.com' }))).toBe(
      `Service "a" is invalid: spec.externalName: Invalid value: "Google.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
    expect(() =>
      create(svc('fqdn', { type: 'ExternalName', externalName: 'google.com.' })),
    ).not.toThrow();
    expect(
      invalidMessage(
        svc('a', { type: 'ExternalName', externalName: 'google.com', clusterIP: '10.96.0.9' }),
      ),
    ).toBe(
      'Service "a" is invalid: spec.clusterIPs: Forbidden: may not be set for ExternalName services',
    );
  });

  it('externalTrafficPolicy only on externally reachable services', () => {
    expect(
      invalidMessage(svc('a', { ports: [{ port: 80 }], externalTrafficPolicy: 'Local' })),
    ).toBe(
      'Service "a" is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    );
  });

  it('a Local LoadBalancer needs a healthCheckNodePort (allocated by the server before validation)', () => {
    const raw = svc('a', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ports: [{ port: 80 }],
    });
    expect(invalidMessage(raw)).toBe(
      'Service "a" is invalid: spec.healthCheckNodePort: Required value',
    );
    const spec = { ...raw.spec, healthCheckNodePort: 32000 };
    expect(() => create({ ...raw, spec })).not.toThrow();
    expect(
      invalidMessage(
        svc('a', { type: 'NodePort', healthCheckNodePort: 32000, ports: [{ port: 80 }] }),
      ),
    ).toBe(
      "Service \"a\" is invalid: spec.healthCheckNodePort: Invalid value: 32000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    );
  });

  it('checks type and sessionAffinity against the supported values, sorted', () => {
    expect(invalidMessage(svc('a', { type: 'Internal', ports: [{ port: 80 }] }))).toBe(
      'Service "a" is invalid: spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    );
    expect(invalidMessage(svc('a', { sessionAffinity: 'Sticky', ports: [{ port: 80 }] }))).toBe(
      'Service "a" is invalid: spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"',
    );
    expect(
      invalidMessage(
        svc('a', {
          sessionAffinity: 'ClientIP',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } },
          ports: [{ port: 80 }],
        }),
      ),
    ).toBe(
      'Service "a" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
    );
  });

  it("LoadBalancer-only fields are forbidden elsewhere, with upstream's paths", () => {
    expect(
      invalidMessage(
        svc('a', { type: 'NodePort', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] }),
      ),
    ).toBe(
      'Service "a" is invalid: spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is \'LoadBalancer\'',
    );
    expect(
      invalidMessage(svc('a', { loadBalancerSourceRanges: ['10.0.0.0/8'], ports: [{ port: 80 }] })),
    ).toBe(
      'Service "a" is invalid: spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is \'LoadBalancer\'',
    );
    expect(
      invalidMessage(
        svc('a', {
          type: 'LoadBalancer',
          loadBalancerSourceRanges: ['10.0.0.0/33'],
          ports: [{ port: 80 }],
        }),
      ),
    ).toBe(
      'Service "a" is invalid: spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    );
    expect(
      invalidMessage(svc('a', { loadBalancerClass: 'example.com/lb', ports: [{ port: 80 }] })),
    ).toBe(
      'Service "a" is invalid: spec.loadBalancerClass: Forbidden: may only be used when `type` is \'LoadBalancer\'',
    );
  });

  it('external IPs must be usable addresses; loopback is allowed on purpose', () => {
    expect(invalidMessage(svc('a', { externalIPs: ['0.0.0.0'], ports: [{ port: 80 }] }))).toBe(
      'Service "a" is invalid: spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
    );
    expect(invalidMessage(svc('a', { externalIPs: ['169.254.1.1'], ports: [{ port: 80 }] }))).toBe(
      'Service "a" is invalid: spec.externalIPs[0]: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
    );
    expect(() =>
      create(svc('a', { externalIPs: ['127.0.3.4'], ports: [{ port: 80 }] })),
    ).not.toThrow();
  });

  it('aggregates several errors the Kubernetes way', () => {
    expect(
      invalidMessage(svc('a', { type: 'NodePort', ports: [{ port: 0, protocol: 'ICMP' }] })),
    ).toBe(
      'Service "a" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP", spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]',
    );
  });
});

describe('Service updates', () => {
  const allocated = (): Service => {
    const s = create(
      svc('web', {
        type: 'NodePort',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80 }],
      }),
    );
    // What the api-server's allocator would have filled in.
    s.spec.clusterIP = '10.96.0.10';
    s.spec.clusterIPs = ['10.96.0.10'];
    const port = s.spec.ports?.[0];
    if (port) port.nodePort = 31000;
    s.metadata.uid = 'u-1';
    s.metadata.resourceVersion = '5';
    return s;
  };
  const same = (o: Service) => ({ ...o, metadata: { ...o.metadata } });

  it('clusterIP may not change once set', () => {
    const old = allocated();
    const st = failure(() =>
      update(
        svc(
          'web',
          {
            type: 'NodePort',
            clusterIP: '10.96.0.11',
            selector: { app: 'web' },
            ports: [{ name: 'http', port: 80 }],
          },
          { uid: 'u-1' },
        ),
        old,
      ),
    );
    expect(st.message).toBe(
      'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set',
    );
  });

  it('resubmitting the original manifest keeps the allocated clusterIP and nodePort', () => {
    const old = allocated();
    const s = update(
      svc(
        'web',
        { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] },
        { uid: 'u-1' },
      ),
      old,
    );
    expect(s.spec.clusterIP).toBe('10.96.0.10');
    expect(s.spec.clusterIPs).toEqual(['10.96.0.10']);
    expect(s.spec.ports?.[0]?.nodePort).toBe(31000);
  });

  it('a full object sent back unchanged is valid', () => {
    const old = allocated();
    expect(() =>
      update(JSON.parse(JSON.stringify(same(old))) as Record<string, unknown>, old),
    ).not.toThrow();
  });

  it('switching to ExternalName releases the cluster IP and node ports', () => {
    const old = allocated();
    const body = JSON.parse(JSON.stringify(old)) as { spec: Record<string, unknown> };
    body.spec.type = 'ExternalName';
    body.spec.externalName = 'example.com';
    const s = update(body as unknown as Record<string, unknown>, old);
    expect(s.spec.clusterIP).toBeUndefined();
    expect(s.spec.clusterIPs).toBeUndefined();
    expect(s.spec.ports?.[0]?.nodePort).toBeUndefined();
    expect(s.spec.externalTrafficPolicy).toBeUndefined();
  });

  it('switching NodePort → ClusterIP drops untouched nodePorts and externalTrafficPolicy', () => {
    const old = allocated();
    const body = JSON.parse(JSON.stringify(old)) as { spec: Record<string, unknown> };
    body.spec.type = 'ClusterIP';
    const s = update(body as unknown as Record<string, unknown>, old);
    expect(s.spec.ports?.[0]?.nodePort).toBeUndefined();
    expect(s.spec.externalTrafficPolicy).toBeUndefined();
    expect(s.spec.clusterIP).toBe('10.96.0.10');
  });

  it('keeps the stored status on a plain update', () => {
    const old = allocated();
    old.status = { loadBalancer: { ingress: [{ ip: '127.0.9.1', ipMode: 'VIP' }] } };
    old.spec.type = 'LoadBalancer';
    old.spec.allocateLoadBalancerNodePorts = true;
    const body = JSON.parse(JSON.stringify(old)) as Record<string, unknown>;
    body.status = {};
    const s = update(body, old);
    expect(s.status).toEqual(old.status);
  });

  it('loadBalancerClass may not change on a LoadBalancer', () => {
    const old = allocated();
    old.spec.type = 'LoadBalancer';
    old.spec.allocateLoadBalancerNodePorts = true;
    old.spec.loadBalancerClass = 'example.com/a';
    const body = JSON.parse(JSON.stringify(old)) as { spec: Record<string, unknown> };
    body.spec.loadBalancerClass = 'example.com/b';
    const st = failure(() => update(body as unknown as Record<string, unknown>, old));
    expect(st.message).toBe(
      'Service "web" is invalid: spec.loadBalancerClass: Invalid value: "example.com/b": may not change once set',
    );
  });
});

describe('normalizeClusterIPs', () => {
  const base = (spec: Service['spec']): Service => ({ metadata: {}, spec, status: {} });

  it('fills clusterIPs from clusterIP on create only when absent', () => {
    const s = base({ clusterIP: '10.0.0.1' });
    normalizeClusterIPs(s);
    expect(s.spec.clusterIPs).toEqual(['10.0.0.1']);
    const t = base({ clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', 'fd00::1'] });
    normalizeClusterIPs(t);
    expect(t.spec.clusterIPs).toEqual(['10.0.0.1', 'fd00::1']);
  });

  it('clears clusterIPs on update when the client cleared clusterIP only', () => {
    const old = base({ clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] });
    const s = base({ clusterIPs: ['10.0.0.1'] });
    normalizeClusterIPs(s, old);
    expect(s.spec.clusterIPs).toBeUndefined();
  });
});
