import type { Pod } from '@kubeling/api';
import {
  getPodReadyCondition,
  isPodActive,
  isPodAvailable,
  isPodReady,
  isPodTerminal,
  podKey,
} from './podutil';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function pod(status: Partial<Pod['status']> = {}, deleting = false): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'ns',
      ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'i' }] },
    status,
  } as Pod;
}

const ready = (status: string, since?: string) =>
  pod({
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status, ...(since ? { lastTransitionTime: since } : {}) },
    ],
  });

describe('pod helpers', () => {
  it('podKey is namespace/name', () => {
    expect(podKey(pod())).toBe('ns/p');
  });

  it('isPodReady reads the Ready condition only', () => {
    expect(isPodReady(ready('True'))).toBe(true);
    expect(isPodReady(ready('False'))).toBe(false);
    expect(isPodReady(ready('Unknown'))).toBe(false);
    expect(isPodReady(pod({ phase: 'Running' }))).toBe(false);
    expect(getPodReadyCondition(ready('True'))?.type).toBe('Ready');
  });

  it('isPodAvailable: ready for strictly longer than minReadySeconds', () => {
    const p = ready('True', '2026-01-01T00:00:00Z');
    expect(isPodAvailable(p, 0, T0)).toBe(true);
    expect(isPodAvailable(p, 10, T0 + 9_999)).toBe(false);
    expect(isPodAvailable(p, 10, T0 + 10_000)).toBe(false); // upstream's Before: strict
    expect(isPodAvailable(p, 10, T0 + 10_001)).toBe(true);
    expect(isPodAvailable(ready('False', '2025-01-01T00:00:00Z'), 10, T0)).toBe(false);
    // Ready without a transition time: available only without a minReadySeconds.
    expect(isPodAvailable(ready('True'), 0, T0)).toBe(true);
    expect(isPodAvailable(ready('True'), 1, T0)).toBe(false);
  });

  it('terminal is Succeeded or Failed; active is neither terminal nor being deleted', () => {
    for (const phase of ['Succeeded', 'Failed']) {
      expect(isPodTerminal(pod({ phase }))).toBe(true);
      expect(isPodActive(pod({ phase }))).toBe(false);
    }
    for (const phase of ['Pending', 'Running', 'Unknown', undefined]) {
      expect(isPodTerminal(pod(phase ? { phase } : {}))).toBe(false);
      expect(isPodActive(pod(phase ? { phase } : {}))).toBe(true);
    }
    expect(isPodActive(pod({ phase: 'Running' }, true))).toBe(false);
  });
});
