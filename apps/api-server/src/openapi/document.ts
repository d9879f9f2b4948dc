/**
 * One OpenAPI v3 document per group-version, as upstream serves at /openapi/v3/<gv>: the
 * operations of the group-version's kinds and every schema they reach.
 *
 *   const doc = groupVersionDocument(scheme.all(), 'apps', 'v1');
 *   doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
 */
import type { z } from 'zod';
import type { KindInfo } from '@kubeling/api';
import { listKindOf } from '@kubeling/api';
import { envelopeRoots, listSchema } from './envelopes';
import type { GoTypeDefinitions } from './goTypes';
import { goTypesFor } from './goTypes';
import { definitionName, metaV1 } from './names';
import type { PathItem } from './paths';
import { PathsBuilder } from './paths';
import type { GroupVersionKind, Schema } from './schemas';
import { SchemaBuilder } from './schemas';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Schema> };
}

/** The kind (if any) upstream gives each envelope. */
const envelopeKinds: Record<string, GroupVersionKind> = {
  [`${metaV1}.Status`]: { group: '', version: 'v1', kind: 'Status' },
  [`${metaV1}.DeleteOptions`]: { group: '', version: 'v1', kind: 'DeleteOptions' },
  [`${metaV1}.WatchEvent`]: { group: '', version: 'v1', kind: 'WatchEvent' },
  'io.k8s.api.autoscaling.v1.Scale': { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  'io.k8s.api.core.v1.Binding': { group: '', version: 'v1', kind: 'Binding' },
  'io.k8s.api.policy.v1.Eviction': { group: 'policy', version: 'v1', kind: 'Eviction' },
};

/** The zod schema and GVK behind each top-level definition an operation names. */
function roots(
  kinds: readonly KindInfo[],
): Map<string, { zod: z.ZodTypeAny; gvk?: GroupVersionKind }> {
  const out = new Map<string, { zod: z.ZodTypeAny; gvk?: GroupVersionKind }>();
  for (const k of kinds) {
    const schema = k.schema as z.ZodTypeAny;
    out.set(definitionName(k), { zod: schema, gvk: k });
    const list = { ...k, kind: listKindOf(k) };
    out.set(definitionName(list), { zod: listSchema(schema), gvk: list });
  }
  for (const [name, zod] of envelopeRoots()) out.set(name, { zod, gvk: envelopeKinds[name] });
  return out;
}

export interface BuiltDocument {
  document: OpenApiDocument;
  /**
   * Where the zod schemas, the Go catalogue and the merge types disagree (SchemaBuilder.problems,
   * withMergeMarkers); empty for a well-described scheme.
   */
  problems: string[];
}

export function groupVersionDocument(
  kinds: readonly KindInfo[],
  group: string,
  version: string,
  given?: GoTypeDefinitions,
): BuiltDocument {
  const catalogue = given ? { types: given, problems: [] } : goTypesFor(kinds);
  const types = catalogue.types;
  const paths = new PathsBuilder(types);
  for (const k of kinds) if (k.group === group && k.version === version) paths.addKind(k);
  const schemas = new SchemaBuilder(types);
  const all = roots(kinds);
  for (const name of [...paths.refs.definitions].sort()) {
    const root = all.get(name);
    if (!root) {
      schemas.problems.push(`${name}: named by an operation, but no schema defines it`);
      continue;
    }
    schemas.define(name, root.zod, root.gvk);
  }
  const sortedSchemas = Object.fromEntries(
    Object.keys(schemas.schemas)
      .sort()
      .map((n) => [n, schemas.schemas[n] as Schema]),
  );
  const sortedPaths = Object.fromEntries(
    Object.keys(paths.paths)
      .sort()
      .map((p) => [p, paths.paths[p] as PathItem]),
  );
  return {
    document: {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.32.0' },
      paths: sortedPaths,
      components: { schemas: sortedSchemas },
    },
    problems: [...new Set([...catalogue.problems, ...schemas.problems])],
  };
}
