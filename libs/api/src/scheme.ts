/**
 * The scheme: every kind kubeling serves, keyed by group/version/kind and by resource, with
 * what the api-server needs to handle it generically (schema, defaulting, validation, field
 * labels, subresources, strategy hooks).
 *
 *   const pods = scheme.byResource('', 'pods');
 *   const { object } = decode(pods, body, 'Strict');
 */
import type { z } from 'zod';
import type { FieldError } from './meta/fieldErrors';
import type { KubeObject, NameValidator } from './meta/objectMeta';

export type Subresource =
  | 'status'
  | 'scale'
  | 'binding'
  | 'log'
  | 'exec'
  | 'attach'
  | 'portforward'
  | 'proxy'
  | 'eviction'
  /** namespaces/finalize: PUT replaces spec.finalizers (what the namespace controller uses). */
  | 'finalize';

/** Where the autoscaling/v1 Scale subresource reads and writes, as a CRD's scale spec says it. */
export interface ScaleInfo {
  /** e.g. ['spec', 'replicas'] */
  specReplicasPath: string[];
  statusReplicasPath: string[];
  /** The selector is rendered from this LabelSelector path (string form in Scale.status.selector). */
  selectorPath: string[];
}

export interface KindInfo<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, as in URLs: `pods`, `deployments`. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Strict zod schema of the whole object (apiVersion, kind, metadata, spec, status...). */
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** How metadata.name is checked; DNS-1123 subdomain when absent. */
  validateName?: NameValidator;
  /** SetDefaults_*: fills defaults in place, after decoding and before validation. */
  defaults?: (obj: T) => void;
  /** Kind-specific validation (ObjectMeta is validated generically by the api-server). */
  validate?: (obj: T) => FieldError[];
  /** Kind-specific update validation: immutable fields and the like. */
  validateUpdate?: (obj: T, old: T) => FieldError[];
  /**
   * Selectable fields beyond metadata.name and metadata.namespace (pods: spec.nodeName, status.phase...).
   * Must return every field it supports, and must not throw, even for a minimal object such as
   * `{ metadata: {} }` (use '' for what is absent): the api-server learns the kind's supported
   * field selectors from the keys it returns for that object (see meta/fieldSelector.ts).
   */
  fieldLabels?: (obj: T) => Record<string, string>;
  subresources: Subresource[];
  scale?: ScaleInfo;
  /** Whether metadata.generation starts at 1 and is bumped on every spec change. */
  tracksGeneration: boolean;
  /** Strategy PrepareForCreate: what the server resets on create (status, for most kinds). */
  prepareForCreate?: (obj: T) => void;
  /** Strategy PrepareForUpdate on the main resource (status changes are dropped by the server). */
  prepareForUpdate?: (obj: T, old: T) => void;
}

export function apiVersionOf(k: { group: string; version: string }): string {
  return k.group ? `${k.group}/${k.version}` : k.version;
}

export function listKindOf(k: { kind: string }): string {
  return `${k.kind}List`;
}

export class Scheme {
  private readonly byRes = new Map<string, KindInfo>();
  private readonly byGVK = new Map<string, KindInfo>();
  private readonly list: KindInfo[] = [];

  register<T extends KubeObject>(info: KindInfo<T>): void {
    const k = info as unknown as KindInfo;
    this.byRes.set(`${k.group}/${k.resource}`, k);
    this.byGVK.set(`${apiVersionOf(k)}/${k.kind}`, k);
    this.list.push(k);
  }

  byResource(group: string, resource: string): KindInfo | undefined {
    return this.byRes.get(`${group}/${resource}`);
  }

  byKind(apiVersion: string, kind: string): KindInfo | undefined {
    return this.byGVK.get(`${apiVersion}/${kind}`);
  }

  /** Every registered kind, in registration order. */
  all(): readonly KindInfo[] {
    return this.list;
  }

  /** The group/versions served, core first: `v1`, `apps/v1`, ... */
  groupVersions(): Array<{ group: string; version: string }> {
    const seen = new Map<string, { group: string; version: string }>();
    for (const k of this.list) seen.set(apiVersionOf(k), { group: k.group, version: k.version });
    return [...seen.values()];
  }
}
