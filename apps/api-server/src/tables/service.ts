/**
 * Services as `kubectl get svc` shows them (printService): CLUSTER-IP is the first of
 * spec.clusterIPs, EXTERNAL-IP depends on the type (externalIPs, the load balancer's ingress or
 * <pending>, the ExternalName), PORT(S) reads `80/TCP` or `80:30080/TCP` with a node port.
 */
import type { LoadBalancerStatus, Service, ServicePort } from '@kubeling/api';
import { selectorFromSet } from '@kubeling/api';
import { since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';

export const serviceColumns = [
  nameColumn,
  column(
    'Type',
    'string',
    'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.',
  ),
  column(
    'Cluster-IP',
    'string',
    'clusterIP is the IP address of the service and is usually assigned randomly.',
  ),
  column(
    'External-IP',
    'string',
    'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
  ),
  column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
  ageColumn,
  column(
    'Selector',
    'string',
    'Route service traffic to pods with label keys and values matching this selector.',
    { priority: 1 },
  ),
];

/** Width past which a load balancer list is clipped outside -o wide. */
const loadBalancerWidth = 16;

/** loadBalancerStatusStringer: the ingress IPs (or hostnames), deduplicated. */
export function loadBalancerStatus(s: LoadBalancerStatus | undefined, wide: boolean): string {
  const seen = new Set<string>();
  for (const ing of s?.ingress ?? []) {
    if (ing.ip) seen.add(ing.ip);
    else if (ing.hostname) seen.add(ing.hostname);
  }
  let r = [...seen].join(',');
  if (!wide && r.length > loadBalancerWidth) r = r.slice(0, loadBalancerWidth - 3) + '...';
  return r;
}

/** getServiceExternalIP. The api-server renders for -o wide (GenerateOptions{Wide: true}). */
export function serviceExternalIP(svc: Service, wide = true): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatus(svc.status?.loadBalancer, wide);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
  }
  return '<unknown>';
}

/** makePortString: `port/protocol`, or `port:nodePort/protocol`, comma-separated. */
export function servicePorts(ports: ServicePort[] | undefined): string {
  return (ports ?? [])
    .map((p) =>
      p.nodePort && p.nodePort > 0
        ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}`
        : `${p.port}/${p.protocol ?? ''}`,
    )
    .join(',');
}

/** labels.FormatLabels: `k=v` sorted by key, or <none>. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  return selectorFromSet(labels).toString() || '<none>';
}

export const servicePrinter = printer<Service>(serviceColumns, (svc, now) => [
  svc.metadata.name ?? '',
  svc.spec?.type ?? '',
  svc.spec?.clusterIPs?.[0] ?? '<none>',
  serviceExternalIP(svc),
  servicePorts(svc.spec?.ports) || '<none>',
  since(svc.metadata.creationTimestamp, now),
  formatLabels(svc.spec?.selector),
]);
