/**
 * Discovery documents (legacy form): /api, /apis, /api/v1 and /apis/<group>/<version>, built from
 * the scheme. kubectl reads shortNames, categories (`get all`), verbs and subresources from them.
 * Aggregated discovery (apidiscovery.k8s.io/v2) is optional: without it kubectl falls back to
 * fetching each group-version, which these documents serve.
 */
import type { KindInfo, Subresource } from '@kubeling/api';
import { apiVersionOf } from '@kubeling/api';

const resourceVerbs = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

interface SubresourceShape {
  verbs: string[];
  kind?: string;
  group?: string;
  version?: string;
}

/** What each subresource accepts and returns, as the upstream api-server advertises it. */
const subresourceShapes: Record<Subresource | 'finalize', SubresourceShape> = {
  status: { verbs: ['get', 'patch', 'update'] },
  scale: { verbs: ['get', 'patch', 'update'], kind: 'Scale', group: 'autoscaling', version: 'v1' },
  binding: { verbs: ['create'], kind: 'Binding' },
  log: { verbs: ['get'] },
  exec: { verbs: ['create', 'get'], kind: 'PodExecOptions' },
  attach: { verbs: ['create', 'get'], kind: 'PodAttachOptions' },
  portforward: { verbs: ['create', 'get'], kind: 'PodPortForwardOptions' },
  proxy: { verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  eviction: { verbs: ['create'], kind: 'Eviction', group: 'policy', version: 'v1' },
  finalize: { verbs: ['update'] },
};

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

function proxyKind(info: KindInfo): string {
  return `${info.kind}ProxyOptions`;
}

export function apiResources(kinds: readonly KindInfo[]): APIResource[] {
  const out: APIResource[] = [];
  // Upstream lists a group-version's resources alphabetically (kubectl `get all` follows it).
  const sorted = [...kinds].sort((a, b) => a.resource.localeCompare(b.resource));
  for (const k of sorted) {
    const r: APIResource = {
      name: k.resource,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: resourceVerbs,
    };
    if (k.shortNames.length) r.shortNames = k.shortNames;
    if (k.categories.length) r.categories = k.categories;
    out.push(r);
    for (const sub of k.subresources) {
      const shape = subresourceShapes[sub as Subresource];
      if (!shape) continue;
      const s: APIResource = {
        name: `${k.resource}/${sub}`,
        singularName: '',
        namespaced: k.namespaced,
        kind: sub === 'proxy' ? proxyKind(k) : (shape.kind ?? k.kind),
        verbs: shape.verbs,
      };
      if (shape.group !== undefined) s.group = shape.group;
      if (shape.version !== undefined) s.version = shape.version;
      out.push(s);
    }
  }
  return out;
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupsOf(kinds: readonly KindInfo[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const k of kinds) {
    if (!k.group) continue;
    const versions = groups.get(k.group) ?? [];
    if (!versions.includes(k.version)) versions.push(k.version);
    groups.set(k.group, versions);
  }
  return groups;
}

function apiGroupOf(name: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(kinds: readonly KindInfo[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groupsOf(kinds)].map(([name, versions]) => apiGroupOf(name, versions)),
  };
}

export function apiGroup(kinds: readonly KindInfo[], name: string) {
  const versions = groupsOf(kinds).get(name);
  return versions
    ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroupOf(name, versions) }
    : undefined;
}

export function apiResourceList(kinds: readonly KindInfo[], group: string, version: string) {
  const inGV = kinds.filter((k) => k.group === group && k.version === version);
  if (!inGV.length) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: apiResources(inGV),
  };
}
