/**
 * core/v1 ResourceQuota: schema, the strategy (status is the quota controller's, set through the
 * status subresource) and ValidateResourceQuota* with upstream's messages, plus the resource-name
 * helpers (pkg/apis/core/helper) that Node capacity validation shares.
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import { invalidValue, path, required } from '../../meta/fieldErrors';
import { isQualifiedName } from '../../meta/names';
import { ObjectMeta, validateObjectMetaUpdate } from '../../meta/objectMeta';
import { Quantity, canonicalQuantity, parseQuantity } from '../../meta/quantity';
import type { KindInfo } from '../../scheme';
import type { GoStringer } from './goSyntax';
import { goLiteral, goQuote, goStringSliceText } from './goSyntax';

/** core/v1 ResourceList: resource name → quantity. */
export const ResourceList = z.record(Quantity);
export type ResourceList = z.infer<typeof ResourceList>;

export const ScopedResourceSelectorRequirement = z
  .object({
    scopeName: z.string(),
    operator: z.string(),
    values: z.array(z.string()).optional(),
  })
  .strict();
export type ScopedResourceSelectorRequirement = z.infer<typeof ScopedResourceSelectorRequirement>;

export const ScopeSelector = z
  .object({
    matchExpressions: z.array(ScopedResourceSelectorRequirement).optional(),
  })
  .strict();
export type ScopeSelector = z.infer<typeof ScopeSelector>;

export const ResourceQuotaSpec = z
  .object({
    hard: ResourceList.optional(),
    scopes: z.array(z.string()).optional(),
    scopeSelector: ScopeSelector.optional(),
  })
  .strict();
export type ResourceQuotaSpec = z.infer<typeof ResourceQuotaSpec>;

export const ResourceQuotaStatus = z
  .object({
    hard: ResourceList.optional(),
    used: ResourceList.optional(),
  })
  .strict();
export type ResourceQuotaStatus = z.infer<typeof ResourceQuotaStatus>;

export const ResourceQuota = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    spec: ResourceQuotaSpec.default({}),
    status: ResourceQuotaStatus.default({}),
  })
  .strict();
export type ResourceQuota = z.infer<typeof ResourceQuota>;

/** What quota counts in objects, in whole units (helper.IsIntegerResourceName's list). */
const objectCountResources = [
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
];

/**
 * helper.IsStandardResourceName's list: the resource names containers and quota alike may use
 * without a prefix.
 */
const standardResources = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  ...objectCountResources,
  'storage',
  'requests.storage',
]);

/** helper.IsStandardQuotaResourceName's list: the standard names but `storage`. */
const standardQuotaResources = new Set([...standardResources].filter((r) => r !== 'storage'));

const integerResources = new Set(objectCountResources);

/** helper.IsHugePageResourceName. */
export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

function isQuotaHugePageResourceName(name: string): boolean {
  return isHugePageResourceName(name) || name.startsWith('requests.hugepages-');
}

/**
 * validateResourceName, the part container and quota resource names share: a qualified name,
 * and without a prefix a standard one (helper.IsStandardResourceName, which counts
 * `requests.hugepages-*` as standard too).
 */
export function validateResourceName(name: string, p: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalidValue(p, name, m));
  if (
    !errs.length &&
    !name.includes('/') &&
    !standardResources.has(name) &&
    !isQuotaHugePageResourceName(name)
  )
    errs.push(invalidValue(p, name, 'must be a standard resource type or fully qualified'));
  return errs;
}

/** IsNativeResource: unprefixed, or in the kubernetes.io/ namespace. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** IsExtendedResourceName: a prefixed name outside kubernetes.io that is valid as `requests.<name>`. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

export function isIntegerResourceName(name: string): boolean {
  return integerResources.has(name) || isExtendedResourceName(name);
}

/**
 * ValidateResourceQuantityValue: not negative, and whole for integer resources.
 * Quantities that do not parse are the schema's business, so they are skipped here.
 */
export function validateResourceQuantityValue(
  resource: string,
  value: string,
  p: FieldPath,
): FieldError[] {
  const q = parseQuantity(value);
  if (!q) return [];
  const errs: FieldError[] = [];
  if (q.milli < 0n)
    errs.push(invalidValue(p, canonicalQuantity(value), 'must be greater than or equal to 0'));
  if (isIntegerResourceName(resource) && q.milli % 1000n !== 0n)
    errs.push(invalidValue(p, canonicalQuantity(value), 'must be an integer'));
  return errs;
}

function isStandardQuotaResourceName(name: string): boolean {
  return standardQuotaResources.has(name) || isQuotaHugePageResourceName(name);
}

/** ValidateResourceQuotaResourceName (validateResourceName + the quota list). */
export function validateQuotaResourceName(name: string, p: FieldPath): FieldError[] {
  const errs = validateResourceName(name, p);
  if (!name.includes('/') && !isStandardQuotaResourceName(name))
    errs.push(invalidValue(p, name, 'must be a standard resource for quota'));
  return errs;
}

const standardScopes = new Set([
  'Terminating',
  'NotTerminating',
  'BestEffort',
  'NotBestEffort',
  'PriorityClass',
  'CrossNamespacePodAffinity',
]);
const podComputeResources = new Set([
  'cpu',
  'memory',
  'limits.cpu',
  'limits.memory',
  'requests.cpu',
  'requests.memory',
]);

/** IsResourceQuotaScopeValidForResource. */
function scopeValidForResource(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return resource === 'pods' || podComputeResources.has(resource);
    case 'BestEffort':
      return resource === 'pods';
    default:
      return true;
  }
}

const conflictingScopePairs = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
] as const;

/** `[]core.ResourceQuotaScope{"BestEffort"}`, as %#v prints spec.scopes. */
function goScopes(scopes: readonly string[] | undefined): GoStringer {
  return goLiteral(
    scopes === undefined
      ? '[]core.ResourceQuotaScope(nil)'
      : `[]core.ResourceQuotaScope{${scopes.map(goQuote).join(', ')}}`,
  );
}

function goScopeSelector(sel: ScopeSelector): GoStringer {
  const exprs =
    sel.matchExpressions === undefined
      ? '[]core.ScopedResourceSelectorRequirement(nil)'
      : `[]core.ScopedResourceSelectorRequirement{${sel.matchExpressions
          .map(
            (r) =>
              `core.ScopedResourceSelectorRequirement{ScopeName:${goQuote(r.scopeName)}, Operator:${goQuote(r.operator)}, Values:${goStringSliceText(r.values)}}`,
          )
          .join(', ')}}`;
  return goLiteral(`&core.ScopeSelector{MatchExpressions:${exprs}}`);
}

function validateResourceList(list: ResourceList | undefined, p: FieldPath): FieldError[] {
  return Object.entries(list ?? {}).flatMap(([k, v]) => [
    ...validateQuotaResourceName(k, p.key(k)),
    ...validateResourceQuantityValue(k, v, p.key(k)),
  ]);
}

function validateScopes(spec: ResourceQuotaSpec, fld: FieldPath): FieldError[] {
  const scopes = spec.scopes ?? [];
  if (!scopes.length) return [];
  const errs: FieldError[] = [];
  const p = fld.child('scopes');
  const hard = Object.keys(spec.hard ?? {}).sort();
  for (const scope of scopes) {
    if (!standardScopes.has(scope))
      errs.push(invalidValue(p, goScopes(spec.scopes), 'unsupported scope'));
    for (const k of hard)
      if (isStandardQuotaResourceName(k) && !scopeValidForResource(scope, k))
        errs.push(invalidValue(p, goScopes(spec.scopes), 'unsupported scope applied to resource'));
  }
  for (const [a, b] of conflictingScopePairs)
    if (scopes.includes(a) && scopes.includes(b))
      errs.push(invalidValue(p, goScopes(spec.scopes), 'conflicting scopes'));
  return errs;
}

function validateScopeSelector(spec: ResourceQuotaSpec, fld: FieldPath): FieldError[] {
  if (!spec.scopeSelector) return [];
  const errs: FieldError[] = [];
  const p = fld.child('scopeSelector', 'matchExpressions');
  const hard = Object.keys(spec.hard ?? {}).sort();
  const seen = new Set<string>();
  for (const req of spec.scopeSelector.matchExpressions ?? []) {
    if (!standardScopes.has(req.scopeName))
      errs.push(invalidValue(p.child('scopeName'), req.scopeName, 'unsupported scope'));
    for (const k of hard)
      if (isStandardQuotaResourceName(k) && !scopeValidForResource(req.scopeName, k))
        errs.push(
          invalidValue(
            p,
            goScopeSelector(spec.scopeSelector),
            'unsupported scope applied to resource',
          ),
        );
    if (
      [
        'BestEffort',
        'NotBestEffort',
        'Terminating',
        'NotTerminating',
        'CrossNamespacePodAffinity',
      ].includes(req.scopeName) &&
      req.operator !== 'Exists'
    )
      errs.push(
        invalidValue(
          p.child('operator'),
          req.operator,
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (!req.values?.length)
          errs.push(
            required(
              p.child('values'),
              "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
            ),
          );
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (req.values?.length)
          errs.push(
            invalidValue(
              p.child('values'),
              goLiteral(goStringSliceText(req.values)),
              "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector",
            ),
          );
        break;
      default:
        errs.push(invalidValue(p.child('operator'), req.operator, 'not a valid selector operator'));
    }
    seen.add(req.scopeName);
  }
  for (const [a, b] of conflictingScopePairs)
    if (seen.has(a) && seen.has(b))
      errs.push(invalidValue(p, goScopes(spec.scopes), 'conflicting scopes'));
  return errs;
}

function validateSpec(spec: ResourceQuotaSpec): FieldError[] {
  const fld = path('spec');
  return [
    ...validateResourceList(spec.hard, fld.child('hard')),
    ...validateScopes(spec, fld),
    ...validateScopeSelector(spec, fld),
  ];
}

function validateStatus(status: ResourceQuotaStatus): FieldError[] {
  return [
    ...validateResourceList(status.hard, path('status', 'hard')),
    ...validateResourceList(status.used, path('status', 'used')),
  ];
}

/** ValidateResourceQuota. */
function validateResourceQuota(rq: ResourceQuota): FieldError[] {
  return [...validateSpec(rq.spec), ...validateStatus(rq.status)];
}

/** ValidateResourceQuotaUpdate: scopes never change (compared as sets). */
function validateResourceQuotaUpdate(rq: ResourceQuota, old: ResourceQuota): FieldError[] {
  const a = new Set(rq.spec.scopes ?? []);
  const b = new Set(old.spec.scopes ?? []);
  const same = a.size === b.size && [...a].every((s) => b.has(s));
  return same
    ? []
    : [invalidValue(path('spec', 'scopes'), goScopes(rq.spec.scopes), 'field is immutable')];
}

/** ValidateResourceQuotaStatusUpdate: what PUT resourcequotas/{name}/status checks. */
export function validateResourceQuotaStatusUpdate(
  rq: ResourceQuota,
  old: ResourceQuota,
): FieldError[] {
  const errs = validateObjectMetaUpdate(rq.metadata, old.metadata);
  if (!rq.metadata.resourceVersion) errs.push(required(path('resourceVersion')));
  return [...errs, ...validateStatus(rq.status)];
}

export const resourceQuotaKind: KindInfo<ResourceQuota> = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  resource: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  categories: [],
  schema: ResourceQuota,
  validate: validateResourceQuota,
  validateUpdate: validateResourceQuotaUpdate,
  subresources: ['status'],
  tracksGeneration: false,
  // The quota controller owns status: the user's copy is dropped on create and kept on update.
  prepareForCreate: (rq) => {
    rq.status = {};
  },
  prepareForUpdate: (rq, old) => {
    rq.status = structuredClone(old.status);
  },
};
