/**
 * meta.k8s.io ListMeta as the Table and PartialObjectMetadataList renderings carry it: a module
 * of its own because both table.ts and partialObjectMetadata.ts use it, and table.ts uses
 * partialObjectMetadata.ts.
 */
export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}
