/**
 * OpenAPI v3 documents: the index at /openapi/v3 and one document per group-version, generated
 * once per process from the zod schemas of the scheme (openapi/document.ts) and the hand-written
 * catalogue of the Kubernetes types they mirror (openapi/goTypes.ts).
 *
 * kubectl's default `--validate=strict` needs them: it looks for a PATCH operation per kind that
 * carries `x-kubernetes-group-version-kind` and a `fieldValidation` parameter, and then leaves
 * validation to the server (`?fieldValidation=Strict`). `kubectl explain` reads
 * `components.schemas`. kubectl caches each document by the hash in its `serverRelativeURL`, so
 * the hash is of the content: a changed schema is fetched again, an unchanged one never.
 */
import { createHash } from 'node:crypto';
import type { KindInfo } from '@kubeling/api';
import { groupVersionDocument } from './openapi/document';
import { groupVersionPath } from './openapi/names';

export interface OpenApiV3 {
  index: { paths: Record<string, { serverRelativeURL: string }> };
  documents: Map<string, { body: string; hash: string }>;
}

/** Builds every document once; they only change when the scheme does. */
export function buildOpenApiV3(kinds: readonly KindInfo[]): OpenApiV3 {
  const documents = new Map<string, { body: string; hash: string }>();
  const index: OpenApiV3['index'] = { paths: {} };
  const gvs = new Map<string, { group: string; version: string }>();
  for (const k of kinds)
    gvs.set(groupVersionPath(k.group, k.version), { group: k.group, version: k.version });
  for (const [path, gv] of gvs) {
    const body = JSON.stringify(groupVersionDocument(kinds, gv.group, gv.version).document);
    // Upstream's hash is the SHA-512 of the document, in upper-case hex.
    const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
    documents.set(path, { body, hash });
    index.paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { index, documents };
}
