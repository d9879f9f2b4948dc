/**
 * What the zod schemas cannot say about the Kubernetes types they mirror, for the OpenAPI
 * documents: the Go type behind every field that is not a plain JSON value (which names nested
 * objects, int64, Time, bytes), the `+enum` values, upstream's required fields, and a
 * description of every type and field for `kubectl explain`. One entry per OpenAPI definition.
 *
 * The catalogue in definitions/ is written by hand, in our own words (catalogue.ts says how to
 * extend it when a schema gains a field). Two parts are derived rather than written: the
 * `<Kind>List` of every kind, and the list/map/struct markers, taken from the merge types of
 * libs/api/src/patch (mergeMarkers.ts) so that patching and the documents cannot disagree.
 *
 *   const { types } = goTypesFor(scheme.all());
 *   types['io.k8s.api.core.v1.PodSpec']?.fields?.containers;
 *   // { type: '[]io.k8s.api.core.v1.Container', listType: 'map', listMapKeys: ['name'], ... }
 */
import type { KindInfo } from '@kubeling/api';
import { listKindOf } from '@kubeling/api';
import { appsV1 } from './definitions/appsV1';
import { apimachinery } from './definitions/apimachinery';
import { autoscalingV1 } from './definitions/autoscalingV1';
import type { GoTypeDefinitions } from './definitions/catalogue';
import { packages } from './definitions/catalogue';
import { coordinationV1 } from './definitions/coordinationV1';
import { coreV1 } from './definitions/coreV1';
import { discoveryV1 } from './definitions/discoveryV1';
import { metaV1, typeMeta } from './definitions/metaV1';
import { policyV1 } from './definitions/policyV1';
import { schedulingV1 } from './definitions/schedulingV1';
import { coreV1More } from './definitions/coreV1More';
import { batchV1 } from './definitions/batchV1';
import { withMergeMarkers } from './mergeMarkers';
import { definitionName } from './names';

export type { GoField, GoTypeDefinition, GoTypeDefinitions } from './definitions/catalogue';
export { elementType, primitiveType } from './definitions/catalogue';

/** The hand-written catalogue, without lists and merge markers. */
export const goTypes: GoTypeDefinitions = {
  ...metaV1,
  ...apimachinery,
  ...coreV1,
  ...appsV1,
  ...discoveryV1,
  ...coordinationV1,
  ...autoscalingV1,
  ...policyV1,
  ...schedulingV1,
  ...coreV1More,
  ...batchV1,
};

/** `<Kind>List` of every kind: the same four fields for all of them. */
export function listDefinitions(kinds: readonly KindInfo[]): GoTypeDefinitions {
  const out: GoTypeDefinitions = {};
  for (const k of kinds)
    out[definitionName({ ...k, kind: listKindOf(k) })] = {
      description: `A list of ${k.kind} objects, as a list request returns it.`,
      fields: {
        apiVersion: { description: typeMeta.apiVersion },
        kind: { description: typeMeta.kind },
        metadata: {
          type: `${packages.meta}.ListMeta`,
          description:
            'List metadata: the resource version the list was read at, and the token for the next page of a limited list.',
        },
        items: { type: `[]${definitionName(k)}`, description: `The ${k.kind} objects.` },
      },
    };
  return out;
}

export interface Catalogue {
  types: GoTypeDefinitions;
  /** Where the merge types and the catalogue disagree; empty when they fit. */
  problems: string[];
}

const built = new WeakMap<readonly KindInfo[], Catalogue>();

/** The whole catalogue for a scheme's kinds: hand-written entries, lists and merge markers. */
export function goTypesFor(kinds: readonly KindInfo[]): Catalogue {
  let c = built.get(kinds);
  if (!c) {
    c = withMergeMarkers({ ...goTypes, ...listDefinitions(kinds) }, kinds);
    built.set(kinds, c);
  }
  return c;
}
