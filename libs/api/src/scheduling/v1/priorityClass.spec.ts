import { applyDefaults, decode, validateCreate, validateUpdate } from '../../decode';
import { isStatusError } from '../../meta/status';
import type { PriorityClass } from './priorityClass';
import { admitPodPriority, priorityClassKind, systemPriorityClassObject } from './priorityClass';

function create(raw: unknown): PriorityClass {
  const { object } = decode(priorityClassKind, raw, 'Strict');
  applyDefaults(priorityClassKind, object);
  validateCreate(priorityClassKind, object);
  return object;
}

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isStatusError(e)) return e.status.message ?? '';
    throw e;
  }
  throw new Error('no error');
}

const pc = (name: string, value: number, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
  value,
  ...extra,
});

describe('PriorityClass', () => {
  it('defaults preemptionPolicy to PreemptLowerPriority', () => {
    expect(create(pc('high', 1000)).preemptionPolicy).toBe('PreemptLowerPriority');
  });

  it('caps user values at 1000000000', () => {
    expect(create(pc('max', 1_000_000_000)).value).toBe(1_000_000_000);
    expect(message(() => create(pc('too-high', 1_000_000_001)))).toBe(
      'PriorityClass.scheduling.k8s.io "too-high" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    );
  });

  it('reserves the system- prefix for the built-in classes, with their values', () => {
    expect(message(() => create(pc('system-mine', 5)))).toBe(
      'PriorityClass.scheduling.k8s.io "system-mine" is invalid: metadata.name: Forbidden: priority class names with \'system-\' prefix are reserved for system use only. error: system-mine is not a known system priority class',
    );
    expect(message(() => create(pc('system-node-critical', 5)))).toContain(
      'error: value of system-node-critical PriorityClass must be 2000001000',
    );
    expect(create(systemPriorityClassObject('system-node-critical')).value).toBe(2000001000);
    expect(create(systemPriorityClassObject('system-cluster-critical')).value).toBe(2000000000);
  });

  it('rejects an unknown preemptionPolicy', () => {
    expect(message(() => create(pc('p', 1, { preemptionPolicy: 'Sometimes' })))).toBe(
      'PriorityClass.scheduling.k8s.io "p" is invalid: preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
    );
  });

  it('keeps value and preemptionPolicy immutable', () => {
    const old = create(pc('p', 1));
    old.metadata.resourceVersion = '1';
    const next = structuredClone(old);
    next.value = 2;
    next.preemptionPolicy = 'Never';
    const msg = message(() => validateUpdate(priorityClassKind, next, old));
    expect(msg).toContain('value: Forbidden: may not be changed in an update.');
    expect(msg).toContain('preemptionPolicy: Invalid value: "Never": field is immutable');
  });
});

describe('admitPodPriority', () => {
  const classes = [
    create(pc('low', 10, { globalDefault: true })),
    create(pc('never', 100, { preemptionPolicy: 'Never' })),
  ];
  const lookup = (n: string) => classes.find((c) => c.metadata.name === n);

  it('fills priority and preemptionPolicy from the named class', () => {
    expect(admitPodPriority({ priorityClassName: 'never' }, lookup, () => classes)).toEqual({
      ok: true,
      priorityClassName: 'never',
      priority: 100,
      preemptionPolicy: 'Never',
    });
  });

  it('uses the global default class, or 0 and PreemptLowerPriority without one', () => {
    expect(admitPodPriority({}, lookup, () => classes)).toMatchObject({
      priorityClassName: 'low',
      priority: 10,
    });
    expect(admitPodPriority({}, lookup, () => [])).toEqual({
      ok: true,
      priorityClassName: undefined,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
    });
  });

  it('refuses an unknown class and a priority that disagrees', () => {
    expect(admitPodPriority({ priorityClassName: 'foo' }, lookup, () => classes)).toEqual({
      ok: false,
      forbidden: 'no PriorityClass with name foo was found',
    });
    expect(
      admitPodPriority({ priorityClassName: 'never', priority: 5 }, lookup, () => classes),
    ).toEqual({
      ok: false,
      forbidden:
        'the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 100 from the given PriorityClass name',
    });
    expect(admitPodPriority({ preemptionPolicy: 'Never' }, lookup, () => [])).toMatchObject({
      ok: false,
    });
  });
});
