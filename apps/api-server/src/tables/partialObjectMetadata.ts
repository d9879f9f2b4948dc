/**
 * meta.k8s.io PartialObjectMetadata(List): an object reduced to its type and ObjectMeta
 * (meta.AsPartialObjectMetadata). It is what a Table row carries by default, and what
 * metadata-only clients ask for with `Accept: application/json;as=PartialObjectMetadata[List];
 * g=meta.k8s.io;v=v1`.
 */
import type { KubeObject, ObjectMeta } from '@kubeling/api';
import { metaGroup } from './mediaType';
import type { ListMeta } from './listMeta';

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: string;
  metadata: ObjectMeta;
}

export interface PartialObjectMetadataList {
  kind: 'PartialObjectMetadataList';
  apiVersion: string;
  metadata: ListMeta;
  items: PartialObjectMetadata[];
}

export function partialObjectMetadata(obj: KubeObject, version: string): PartialObjectMetadata {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `${metaGroup}/${version}`,
    metadata: obj.metadata,
  };
}

export function partialObjectMetadataList(
  list: { metadata?: ListMeta; items: KubeObject[] },
  version: string,
): PartialObjectMetadataList {
  const meta: ListMeta = {};
  const lm = list.metadata ?? {};
  if (lm.resourceVersion) meta.resourceVersion = lm.resourceVersion;
  if (lm.continue) meta.continue = lm.continue;
  if (lm.remainingItemCount !== undefined) meta.remainingItemCount = lm.remainingItemCount;
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `${metaGroup}/${version}`,
    metadata: meta,
    items: list.items.map((o) => partialObjectMetadata(o, version)),
  };
}
