/**
 * Names as upstream's OpenAPI spells them: definitions after the Go package that declares the
 * type (`io.k8s.api.core.v1.Pod`, `io.k8s.api.discovery.v1.EndpointSlice`), group-version
 * paths (`api/v1`, `apis/apps/v1`) and operation ids (`patchCoreV1NamespacedPod`).
 */
import type { KindInfo } from '@kubeling/api';

type GVK = Pick<KindInfo, 'group' | 'version' | 'kind'>;

/** The Go package of a built-in group is named after its first label (`discovery.k8s.io`). */
function packageOf(group: string): string {
  return group === '' ? 'core' : (group.split('.')[0] as string);
}

export function definitionName(k: GVK): string {
  return `io.k8s.api.${packageOf(k.group)}.${k.version}.${k.kind}`;
}

export const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** `api/v1`, `apis/apps/v1`: the key of a group-version in /openapi/v3. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** `CoreV1`, `AppsV1`, `DiscoveryV1`: the group-version part of operation ids and tags. */
export function operationGroup(group: string, version: string): string {
  const words = packageOf(group)
    .split(/[-.]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return `${words.join('')}${version.charAt(0).toUpperCase()}${version.slice(1)}`;
}

/** `core_v1`, `apps_v1`, `discovery_v1`: the tag of every operation in a group-version. */
export function operationTag(group: string, version: string): string {
  return `${packageOf(group)}_${version}`;
}
