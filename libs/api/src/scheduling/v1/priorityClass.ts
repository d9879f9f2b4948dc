/**
 * scheduling.k8s.io/v1 PriorityClass: the schema, SetDefaults_PriorityClass, ValidatePriorityClass
 * (the `system-` prefix reserved for the built-in classes, user values capped) and its update
 * rules, the built-in classes every cluster has, and the pod side of the Priority admission
 * plugin (priorityClassName → spec.priority and spec.preemptionPolicy) as a pure function the
 * api-server's plugin calls with the classes it reads.
 */
import { z } from 'zod';
import type { FieldError } from '../../meta/fieldErrors';
import { forbiddenField, invalidValue, notSupported, path, required } from '../../meta/fieldErrors';
import { ObjectMeta, immutableDetail } from '../../meta/objectMeta';
import type { KindInfo } from '../../scheme';

export const PriorityClass = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: ObjectMeta.default({}),
    value: z.number().int().default(0),
    globalDefault: z.boolean().optional(),
    description: z.string().optional(),
    preemptionPolicy: z.string().optional(),
  })
  .strict();
export type PriorityClass = z.infer<typeof PriorityClass>;

/** HighestUserDefinablePriority: values above are reserved for the system classes. */
export const highestUserDefinablePriority = 1_000_000_000;
/** SystemCriticalPriority: the base of the system classes. */
export const systemCriticalPriority = 2 * highestUserDefinablePriority;
export const systemPriorityClassPrefix = 'system-';
/** DefaultPriorityWhenNoDefaultClassExists. */
export const defaultPriorityWhenNoDefaultClass = 0;

export const preemptionPolicies = ['PreemptLowerPriority', 'Never'] as const;

/** The classes the api-server creates at start-up (scheduling.SystemPriorityClasses()). */
export const systemPriorityClasses: ReadonlyArray<{
  name: string;
  value: number;
  description: string;
}> = [
  {
    name: 'system-node-critical',
    value: systemCriticalPriority + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: systemCriticalPriority,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** The body of a built-in class, as the bootstrap creates it. */
export function systemPriorityClassObject(name: string): PriorityClass | undefined {
  const spc = systemPriorityClasses.find((c) => c.name === name);
  if (!spc) return undefined;
  return {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: spc.name },
    value: spc.value,
    globalDefault: false,
    description: spc.description,
    preemptionPolicy: 'PreemptLowerPriority',
  };
}

/** SetDefaults_PriorityClass. */
export function defaultPriorityClass(pc: PriorityClass): void {
  if (pc.preemptionPolicy === undefined) pc.preemptionPolicy = 'PreemptLowerPriority';
}

/** IsKnownSystemPriorityClass: undefined when it is, upstream's reason when it is not. */
function unknownSystemClass(pc: PriorityClass): string | undefined {
  const spc = systemPriorityClasses.find((c) => c.name === pc.metadata.name);
  if (!spc) return `${pc.metadata.name} is not a known system priority class`;
  if (spc.value !== pc.value) return `value of ${spc.name} PriorityClass must be ${spc.value}`;
  if (pc.globalDefault) return `globalDefault of ${spc.name} PriorityClass must be false`;
  return undefined;
}

/** ValidatePriorityClass (ObjectMeta is validated generically). */
export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if ((pc.metadata.name ?? '').startsWith(systemPriorityClassPrefix)) {
    const why = unknownSystemClass(pc);
    if (why)
      errs.push(
        forbiddenField(
          path('metadata', 'name'),
          `priority class names with '${systemPriorityClassPrefix}' prefix are reserved for system use only. error: ${why}`,
        ),
      );
  } else if (pc.value > highestUserDefinablePriority) {
    errs.push(
      forbiddenField(
        path('value'),
        `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`,
      ),
    );
  }
  if (pc.preemptionPolicy !== undefined) {
    const p = path('preemptionPolicy');
    if (!pc.preemptionPolicy) errs.push(required(p));
    else if (!(preemptionPolicies as readonly string[]).includes(pc.preemptionPolicy))
      errs.push(notSupported(p, pc.preemptionPolicy, preemptionPolicies));
  }
  return errs;
}

/** ValidatePriorityClassUpdate: value and preemptionPolicy never change. */
export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if (pc.value !== old.value)
    errs.push(forbiddenField(path('value'), 'may not be changed in an update.'));
  if (pc.preemptionPolicy !== old.preemptionPolicy)
    errs.push(invalidValue(path('preemptionPolicy'), pc.preemptionPolicy ?? '', immutableDetail));
  return errs;
}

/** What the Priority admission plugin decides for a pod being created. */
export type PodPriorityDecision =
  | {
      ok: true;
      priorityClassName: string | undefined;
      priority: number;
      preemptionPolicy: string | undefined;
    }
  | { ok: false; forbidden: string };

/**
 * The globalDefault class, the one with the lowest value when several claim it
 * (getDefaultPriorityClass), or undefined.
 */
export function defaultPriorityClassOf(
  classes: readonly PriorityClass[],
): PriorityClass | undefined {
  let best: PriorityClass | undefined;
  for (const pc of classes) if (pc.globalDefault && (!best || pc.value < best.value)) best = pc;
  return best;
}

/**
 * The Priority admission plugin on pod create: the named class (or the global default, or 0)
 * gives spec.priority and spec.preemptionPolicy; values the pod sets itself must agree.
 */
export function admitPodPriority(
  spec: { priorityClassName?: string; priority?: number; preemptionPolicy?: string },
  lookup: (name: string) => PriorityClass | undefined,
  classes: () => readonly PriorityClass[],
): PodPriorityDecision {
  let priorityClassName = spec.priorityClassName;
  let priority: number;
  let preemptionPolicy: string | undefined;
  if (!priorityClassName) {
    const dpc = defaultPriorityClassOf(classes());
    priorityClassName = dpc?.metadata.name;
    priority = dpc?.value ?? defaultPriorityWhenNoDefaultClass;
    // Without a default class, PreemptLowerPriority (getDefaultPriority).
    preemptionPolicy = dpc ? dpc.preemptionPolicy : 'PreemptLowerPriority';
  } else {
    const pc = lookup(priorityClassName);
    if (!pc)
      return { ok: false, forbidden: `no PriorityClass with name ${priorityClassName} was found` };
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== priority)
    return {
      ok: false,
      forbidden: `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    };
  if (
    preemptionPolicy !== undefined &&
    spec.preemptionPolicy !== undefined &&
    spec.preemptionPolicy !== preemptionPolicy
  )
    return {
      ok: false,
      forbidden: `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
    };
  return {
    ok: true,
    priorityClassName,
    priority,
    preemptionPolicy: preemptionPolicy ?? spec.preemptionPolicy,
  };
}

export const priorityClassKind: KindInfo<PriorityClass> = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  resource: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  categories: [],
  schema: PriorityClass,
  defaults: defaultPriorityClass,
  validate: validatePriorityClass,
  validateUpdate: validatePriorityClassUpdate,
  subresources: [],
  tracksGeneration: false,
};
