/**
 * Where a pod may run: node affinity (node selector terms with matchExpressions/matchFields),
 * pod affinity and anti-affinity (required terms and weighted preferences), tolerations and
 * topology spread constraints. Schemas in Go field order and pkg/apis/core/validation's rules
 * with upstream's messages.
 */
import { z } from 'zod';
import type { FieldError, FieldPath } from '../../meta/fieldErrors';
import { duplicate, invalidValue, notSupported, required } from '../../meta/fieldErrors';
import { isDNS1123Label, isValidLabelValue } from '../../meta/names';
import { LabelSelector, nameIsDNSSubdomain } from '../../meta/objectMeta';
import { validateLabelSelector, validateSelectorRequirement } from '../../meta/labelSelector';
import { goInt64PtrText, goLiteral, goQuote } from './goSyntax';
import { validateLabelName } from './container';
import { TaintEffects } from './node';

const int = () => z.number().int();

export const NodeSelectorRequirement = z
  .object({
    key: z.string().optional(),
    /** In | NotIn | Exists | DoesNotExist | Gt | Lt */
    operator: z.string().optional(),
    values: z.array(z.string()).optional(),
  })
  .strict();
export type NodeSelectorRequirement = z.infer<typeof NodeSelectorRequirement>;

export const NodeSelectorTerm = z
  .object({
    matchExpressions: z.array(NodeSelectorRequirement).optional(),
    matchFields: z.array(NodeSelectorRequirement).optional(),
  })
  .strict();
export type NodeSelectorTerm = z.infer<typeof NodeSelectorTerm>;

export const NodeSelector = z
  .object({ nodeSelectorTerms: z.array(NodeSelectorTerm).optional() })
  .strict();
export type NodeSelector = z.infer<typeof NodeSelector>;

export const PreferredSchedulingTerm = z
  .object({ weight: int().optional(), preference: NodeSelectorTerm.default({}) })
  .strict();
export type PreferredSchedulingTerm = z.infer<typeof PreferredSchedulingTerm>;

export const NodeAffinity = z
  .object({
    requiredDuringSchedulingIgnoredDuringExecution: NodeSelector.optional(),
    preferredDuringSchedulingIgnoredDuringExecution: z.array(PreferredSchedulingTerm).optional(),
  })
  .strict();
export type NodeAffinity = z.infer<typeof NodeAffinity>;

export const PodAffinityTerm = z
  .object({
    labelSelector: LabelSelector.optional(),
    namespaces: z.array(z.string()).optional(),
    topologyKey: z.string().optional(),
    namespaceSelector: LabelSelector.optional(),
    matchLabelKeys: z.array(z.string()).optional(),
    mismatchLabelKeys: z.array(z.string()).optional(),
  })
  .strict();
export type PodAffinityTerm = z.infer<typeof PodAffinityTerm>;

export const WeightedPodAffinityTerm = z
  .object({ weight: int().optional(), podAffinityTerm: PodAffinityTerm.default({}) })
  .strict();
export type WeightedPodAffinityTerm = z.infer<typeof WeightedPodAffinityTerm>;

export const PodAffinity = z
  .object({
    requiredDuringSchedulingIgnoredDuringExecution: z.array(PodAffinityTerm).optional(),
    preferredDuringSchedulingIgnoredDuringExecution: z.array(WeightedPodAffinityTerm).optional(),
  })
  .strict();
export type PodAffinity = z.infer<typeof PodAffinity>;

export const Affinity = z
  .object({
    nodeAffinity: NodeAffinity.optional(),
    podAffinity: PodAffinity.optional(),
    podAntiAffinity: PodAffinity.optional(),
  })
  .strict();
export type Affinity = z.infer<typeof Affinity>;

export const Toleration = z
  .object({
    key: z.string().optional(),
    /** Exists | Equal ("" means Equal). */
    operator: z.string().optional(),
    value: z.string().optional(),
    /** NoSchedule | PreferNoSchedule | NoExecute ("" matches every effect). */
    effect: z.string().optional(),
    tolerationSeconds: int().optional(),
  })
  .strict();
export type Toleration = z.infer<typeof Toleration>;

export const TopologySpreadConstraint = z
  .object({
    maxSkew: int().optional(),
    topologyKey: z.string().optional(),
    /** DoNotSchedule | ScheduleAnyway */
    whenUnsatisfiable: z.string().optional(),
    labelSelector: LabelSelector.optional(),
    minDomains: int().optional(),
    nodeAffinityPolicy: z.string().optional(),
    nodeTaintsPolicy: z.string().optional(),
    matchLabelKeys: z.array(z.string()).optional(),
  })
  .strict();
export type TopologySpreadConstraint = z.infer<typeof TopologySpreadConstraint>;

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/** ValidateNodeSelectorRequirement (label expressions of a node selector term). */
function validateNodeSelectorRequirement(
  rq: NodeSelectorRequirement,
  allowInvalidValues: boolean,
  p: FieldPath,
): FieldError[] {
  return validateSelectorRequirement(rq, p, { gtLt: true, allowInvalidValues });
}

/** ValidateNodeFieldSelectorRequirement: only `metadata.name`, with In/NotIn and one value. */
function validateNodeFieldSelectorRequirement(
  rq: NodeSelectorRequirement,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const values = rq.values ?? [];
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if (values.length !== 1)
      errs.push(
        required(
          p.child('values'),
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      );
  } else {
    errs.push(
      invalidValue(p.child('operator'), rq.operator ?? '', 'not a valid selector operator'),
    );
  }
  if (rq.key !== 'metadata.name')
    errs.push(invalidValue(p.child('key'), rq.key ?? '', 'not a valid field selector key'));
  else
    values.forEach((v, i) => {
      for (const m of nameIsDNSSubdomain(v, false))
        errs.push(invalidValue(p.child('values').index(i), v, m));
    });
  return errs;
}

/** ValidateNodeSelectorTerm. */
export function validateNodeSelectorTerm(
  term: NodeSelectorTerm,
  allowInvalidValues: boolean,
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  (term.matchExpressions ?? []).forEach((rq, j) =>
    errs.push(
      ...validateNodeSelectorRequirement(
        rq,
        allowInvalidValues,
        p.child('matchExpressions').index(j),
      ),
    ),
  );
  (term.matchFields ?? []).forEach((rq, j) =>
    errs.push(...validateNodeFieldSelectorRequirement(rq, p.child('matchFields').index(j))),
  );
  return errs;
}

/** ValidateNodeSelector: at least one term. */
export function validateNodeSelector(
  ns: NodeSelector,
  allowInvalidValues: boolean,
  p: FieldPath,
): FieldError[] {
  const tp = p.child('nodeSelectorTerms');
  const terms = ns.nodeSelectorTerms ?? [];
  if (terms.length === 0) return [required(tp, 'must have at least one node selector term')];
  return terms.flatMap((t, i) => validateNodeSelectorTerm(t, allowInvalidValues, tp.index(i)));
}

function validateWeight(weight: number | undefined, p: FieldPath): FieldError[] {
  const w = weight ?? 0;
  return w <= 0 || w > 100 ? [invalidValue(p, w, 'must be in the range 1-100')] : [];
}

function validateNodeAffinity(na: NodeAffinity, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  // Upstream tolerates invalid label values in required node affinity (allowed historically).
  if (na.requiredDuringSchedulingIgnoredDuringExecution)
    errs.push(
      ...validateNodeSelector(
        na.requiredDuringSchedulingIgnoredDuringExecution,
        true,
        p.child('requiredDuringSchedulingIgnoredDuringExecution'),
      ),
    );
  (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
    const ip = p.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
    errs.push(...validateWeight(t.weight, ip.child('weight')));
    errs.push(...validateNodeSelectorTerm(t.preference, true, ip.child('preference')));
  });
  return errs;
}

function validatePodAffinityTerm(term: PodAffinityTerm, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (term.labelSelector)
    errs.push(...validateLabelSelector(term.labelSelector, p.child('labelSelector')));
  if (term.namespaceSelector)
    errs.push(...validateLabelSelector(term.namespaceSelector, p.child('namespaceSelector')));
  // Upstream's path says `namespace` (singular) here.
  for (const ns of term.namespaces ?? [])
    for (const m of isDNS1123Label(ns)) errs.push(invalidValue(p.child('namespace'), ns, m));
  const keys = term.matchLabelKeys ?? [];
  const mismatch = term.mismatchLabelKeys ?? [];
  keys.forEach((k, i) => errs.push(...validateLabelName(k, p.child('matchLabelKeys').index(i))));
  mismatch.forEach((k, i) =>
    errs.push(...validateLabelName(k, p.child('mismatchLabelKeys').index(i))),
  );
  for (const k of keys)
    if (mismatch.includes(k))
      errs.push(
        invalidValue(
          p.child('matchLabelKeys'),
          k,
          'exists in both matchLabelKeys and mismatchLabelKeys',
        ),
      );
  const selectorKeys = new Set([
    ...Object.keys(term.labelSelector?.matchLabels ?? {}),
    ...(term.labelSelector?.matchExpressions ?? []).map((e) => e.key),
  ]);
  keys.forEach((k, i) => {
    if (selectorKeys.has(k))
      errs.push(
        invalidValue(
          p.child('matchLabelKeys').index(i),
          k,
          'exists in both matchLabelKeys and labelSelector',
        ),
      );
  });
  mismatch.forEach((k, i) => {
    if (selectorKeys.has(k))
      errs.push(
        invalidValue(
          p.child('mismatchLabelKeys').index(i),
          k,
          'exists in both mismatchLabelKeys and labelSelector',
        ),
      );
  });
  if (!term.topologyKey) errs.push(required(p.child('topologyKey'), 'can not be empty'));
  errs.push(...validateLabelName(term.topologyKey ?? '', p.child('topologyKey')));
  return errs;
}

function validatePodAffinity(pa: PodAffinity, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) =>
    errs.push(
      ...validatePodAffinityTerm(
        t,
        p.child('requiredDuringSchedulingIgnoredDuringExecution').index(i),
      ),
    ),
  );
  (pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
    const ip = p.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
    errs.push(...validateWeight(t.weight, ip.child('weight')));
    errs.push(...validatePodAffinityTerm(t.podAffinityTerm, ip.child('podAffinityTerm')));
  });
  return errs;
}

/** validateAffinity. */
export function validateAffinity(a: Affinity | undefined, p: FieldPath): FieldError[] {
  if (!a) return [];
  const errs: FieldError[] = [];
  if (a.nodeAffinity) errs.push(...validateNodeAffinity(a.nodeAffinity, p.child('nodeAffinity')));
  if (a.podAffinity) errs.push(...validatePodAffinity(a.podAffinity, p.child('podAffinity')));
  if (a.podAntiAffinity)
    errs.push(...validatePodAffinity(a.podAntiAffinity, p.child('podAntiAffinity')));
  return errs;
}

/** A toleration as `%#v` prints core.Toleration. */
export function goToleration(t: Toleration): unknown {
  return goLiteral(
    `core.Toleration{Key:${goQuote(t.key ?? '')}, Operator:${goQuote(t.operator ?? '')}, Value:${goQuote(t.value ?? '')}, Effect:${goQuote(t.effect ?? '')}, TolerationSeconds:${goInt64PtrText(t.tolerationSeconds)}}`,
  );
}

/** ValidateTolerations. */
export function validateTolerations(
  tolerations: readonly Toleration[],
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const ip = p.index(i);
    const key = t.key ?? '';
    const operator = t.operator ?? '';
    const value = t.value ?? '';
    const effect = t.effect ?? '';
    if (key) errs.push(...validateLabelName(key, ip.child('key')));
    // An empty key with Exists tolerates every taint; with anything else it is meaningless.
    if (!key && operator !== 'Exists')
      errs.push(
        invalidValue(
          ip.child('operator'),
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    if (t.tolerationSeconds !== undefined && effect !== 'NoExecute')
      errs.push(
        invalidValue(
          ip.child('effect'),
          effect,
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    switch (operator) {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(value);
        if (msgs.length) errs.push(invalidValue(ip.child('operator'), value, msgs.join(';')));
        break;
      }
      case 'Exists':
        if (value)
          errs.push(
            invalidValue(
              ip.child('operator'),
              goToleration(t),
              "value must be empty when `operator` is 'Exists'",
            ),
          );
        break;
      default:
        errs.push(notSupported(ip.child('operator'), operator, ['Equal', 'Exists']));
    }
    if (effect && !(TaintEffects as readonly string[]).includes(effect))
      errs.push(notSupported(ip.child('effect'), effect, TaintEffects));
  });
  return errs;
}

const whenUnsatisfiableValues = ['DoNotSchedule', 'ScheduleAnyway'];
const nodeInclusionPolicies = ['Honor', 'Ignore'];

/** validateTopologySpreadConstraints (the basics: skew, key, action, uniqueness, selector). */
export function validateTopologySpreadConstraints(
  cs: readonly TopologySpreadConstraint[],
  p: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  cs.forEach((c, i) => {
    const ip = p.index(i);
    const skew = c.maxSkew ?? 0;
    if (skew <= 0) errs.push(invalidValue(ip.child('maxSkew'), skew, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(required(ip.child('topologyKey'), 'can not be empty'));
    const action = c.whenUnsatisfiable ?? '';
    if (!whenUnsatisfiableValues.includes(action))
      errs.push(notSupported(ip.child('whenUnsatisfiable'), action, whenUnsatisfiableValues));
    // {topologyKey, whenUnsatisfiable} names one kind of constraint; it may appear once.
    if (
      cs
        .slice(i + 1)
        .some(
          (o) =>
            (o.topologyKey ?? '') === (c.topologyKey ?? '') &&
            (o.whenUnsatisfiable ?? '') === action,
        )
    )
      errs.push(
        duplicate(
          ip.child('{topologyKey, whenUnsatisfiable}'),
          `{${c.topologyKey ?? ''}, ${action}}`,
        ),
      );
    if (c.minDomains !== undefined) {
      if (c.minDomains <= 0)
        errs.push(invalidValue(ip.child('minDomains'), c.minDomains, 'must be greater than zero'));
      if (action !== 'DoNotSchedule')
        errs.push(
          invalidValue(
            ip.child('minDomains'),
            c.minDomains,
            `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`,
          ),
        );
    }
    for (const key of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const v = c[key];
      if (v !== undefined && !nodeInclusionPolicies.includes(v))
        errs.push(notSupported(ip.child(key), v, nodeInclusionPolicies));
    }
    (c.matchLabelKeys ?? []).forEach((k, j) =>
      errs.push(...validateLabelName(k, ip.child('matchLabelKeys').index(j))),
    );
    if (c.labelSelector)
      errs.push(...validateLabelSelector(c.labelSelector, ip.child('labelSelector')));
  });
  return errs;
}
