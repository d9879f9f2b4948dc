/**
 * Ready-made informer transforms (client-go's cache.TransformFunc), applied to each object
 * before it enters an informer's cache.
 */
import type { KubeObject } from '@kubeling/api';

/**
 * Drops metadata.managedFields (client-go's TransformStripManagedFields): server-side apply's
 * bookkeeping, often the largest part of an object, read by no controller. Changes the object
 * in place: informers hand transforms freshly decoded objects.
 */
export function dropManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}
