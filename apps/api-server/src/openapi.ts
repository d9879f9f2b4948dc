/**
 * OpenAPI v3 documents: the index at /openapi/v3 and one document per group-version.
 *
 * kubectl's default `--validate=strict` needs them: it looks for a PATCH operation per kind that
 * carries `x-kubernetes-group-version-kind` and a `fieldValidation` parameter, and then leaves
 * validation to the server (`?fieldValidation=Strict`). `kubectl explain` also reads
 * `components.schemas`. The documents carry a content hash so kubectl's cache refreshes when
 * the API changes.
 */
import { createHash } from 'node:crypto';
import type { KindInfo } from '@kubeling/api';
import { apiVersionOf } from '@kubeling/api';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function schemaName(k: KindInfo): string {
  const g = k.group ? k.group.split('.').reverse().join('.') : 'core';
  return `io.k8s.api.${g.replace(/^io\.k8s\.api\./, '')}.${k.version}.${k.kind}`;
}

function itemPath(k: KindInfo): string {
  const prefix = `/${gvPath(k.group, k.version)}`;
  return k.namespaced
    ? `${prefix}/namespaces/{namespace}/${k.resource}/{name}`
    : `${prefix}/${k.resource}/{name}`;
}

export function groupVersionDocument(kinds: readonly KindInfo[], group: string, version: string) {
  const inGV = kinds.filter((k) => k.group === group && k.version === version);
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const k of inGV) {
    const gvk = { group: k.group, version: k.version, kind: k.kind };
    paths[itemPath(k)] = {
      patch: {
        operationId: `patch${k.namespaced ? 'Namespaced' : ''}${k.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    };
    schemas[schemaName(k)] = {
      type: 'object',
      description: `${k.kind} (${apiVersionOf(k)})`,
      'x-kubernetes-group-version-kind': [gvk],
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}

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
    gvs.set(gvPath(k.group, k.version), { group: k.group, version: k.version });
  for (const [path, gv] of gvs) {
    const body = JSON.stringify(groupVersionDocument(kinds, gv.group, gv.version));
    const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
    documents.set(path, { body, hash });
    index.paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { index, documents };
}
