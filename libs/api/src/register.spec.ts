import { supportedFieldLabels } from './meta/fieldSelector';
import { scheme } from './register';

describe('scheme', () => {
  it('registers every kind once, core/v1 first', () => {
    const names = scheme.all().map((k) => `${k.group}/${k.resource}`);
    expect(new Set(names).size).toBe(names.length);
    expect(scheme.groupVersions()[0]).toEqual({ group: '', version: 'v1' });
    expect(scheme.byKind('apps/v1', 'Deployment')?.resource).toBe('deployments');
  });

  it("knows every kind's field labels from a bare object, as field-selector checks need", () => {
    for (const k of scheme.all()) expect(() => k.fieldLabels?.({ metadata: {} })).not.toThrow();
    const labels = (group: string, resource: string) =>
      supportedFieldLabels(scheme.byResource(group, resource)!);
    expect(labels('', 'pods')).toEqual(
      expect.arrayContaining(['metadata.name', 'spec.nodeName', 'status.phase']),
    );
    expect(labels('', 'events')).toEqual(
      expect.arrayContaining(['involvedObject.uid', 'reason', 'type']),
    );
    expect(labels('', 'nodes')).toContain('spec.unschedulable');
    expect(labels('apps', 'replicasets')).toContain('status.replicas');
  });
});
