/** Patch media types the api-server knows, and which of them this build applies. */
import { unsupportedMediaType } from '@kubeling/api';

import type { PatchType } from '@kubeling/api';

export type { PatchType };

export const patchMediaTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/**
 * The patch types applied, in the order upstream lists them for built-in kinds (the 415
 * message names them): JSON patch, merge patch, strategic merge patch, server-side apply.
 */
export const supportedPatchTypes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const base = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const t = patchMediaTypes[base];
  return t && supportedPatchTypes.includes(base) ? t : undefined;
}

export function unsupportedPatch(contentType = '') {
  return unsupportedMediaType(contentType, supportedPatchTypes);
}
