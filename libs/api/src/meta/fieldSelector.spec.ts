import { z } from 'zod';
import type { KindInfo } from '../scheme';
import {
  checkFieldSelectorSupported,
  escapeFieldValue,
  everyField,
  fieldSelectorFromSet,
  parseFieldSelector,
  selectableFields,
  supportedFieldLabels,
  unescapeFieldValue,
} from './fieldSelector';
import type { KubeObject } from './objectMeta';
import { isStatusError } from './status';

function badRequestMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (!isStatusError(e)) throw e;
    expect(e.status.code).toBe(400);
    expect(e.status.reason).toBe('BadRequest');
    return e.status.message ?? '';
  }
  throw new Error('did not throw');
}

function kind(over: Partial<KindInfo>): KindInfo {
  return {
    group: '',
    version: 'v1',
    kind: 'Thing',
    resource: 'things',
    singular: 'thing',
    namespaced: true,
    shortNames: [],
    categories: [],
    schema: z.custom<KubeObject>(),
    subresources: [],
    tracksGeneration: false,
    ...over,
  };
}

describe('parseFieldSelector', () => {
  it('parses the selector kubectl describe sends for events', () => {
    const s = parseFieldSelector('involvedObject.name=x,involvedObject.namespace=default');
    expect(s.requirements).toEqual([
      { field: 'involvedObject.name', operator: '=', value: 'x' },
      { field: 'involvedObject.namespace', operator: '=', value: 'default' },
    ]);
    expect(
      s.matches({ 'involvedObject.name': 'x', 'involvedObject.namespace': 'default', other: 'y' }),
    ).toBe(true);
    expect(
      s.matches({ 'involvedObject.name': 'x', 'involvedObject.namespace': 'kube-system' }),
    ).toBe(false);
    expect(s.requiresExactMatch('involvedObject.name')).toBe('x');
    expect(s.toString()).toBe('involvedObject.name=x,involvedObject.namespace=default');
  });

  it('supports ==, != and treats a missing field as the empty string', () => {
    const s = parseFieldSelector('spec.nodeName!=,metadata.name==web');
    expect(s.requirements).toEqual([
      { field: 'metadata.name', operator: '=', value: 'web' },
      { field: 'spec.nodeName', operator: '!=', value: '' },
    ]);
    expect(s.matches({ 'metadata.name': 'web', 'spec.nodeName': 'n1' })).toBe(true);
    expect(s.matches({ 'metadata.name': 'web' })).toBe(false);
    expect(s.requiresExactMatch('spec.nodeName')).toBeUndefined();
    expect(parseFieldSelector('spec.nodeName=').matches({})).toBe(true);
    expect(parseFieldSelector('status.phase!=Running').matches({})).toBe(true);
  });

  it('sorts terms and skips empty ones', () => {
    expect(parseFieldSelector('b=2,,a=1,').toString()).toBe('a=1,b=2');
  });

  it('is empty for the empty string', () => {
    const s = parseFieldSelector('');
    expect(s.empty()).toBe(true);
    expect(s.matches({})).toBe(true);
    expect(s.toString()).toBe('');
    expect(everyField().empty()).toBe(true);
  });

  it('unescapes values and escapes them again on output', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d,spec.x=y');
    expect(s.requirements[0]).toEqual({ field: 'metadata.name', operator: '=', value: 'a,b=c\\d' });
    expect(s.toString()).toBe('metadata.name=a\\,b\\=c\\\\d,spec.x=y');
    expect(escapeFieldValue('a,b=c\\d!')).toBe('a\\,b\\=c\\\\d!');
    expect(unescapeFieldValue('plain!')).toBe('plain!');
  });

  it('reports bad syntax with upstream wording', () => {
    expect(badRequestMessage(() => parseFieldSelector('metadata.name'))).toBe(
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
    expect(badRequestMessage(() => parseFieldSelector('a=b,c'))).toBe(
      "invalid selector: 'a=b,c'; can't understand 'c'",
    );
    expect(badRequestMessage(() => parseFieldSelector('a=b\\x'))).toBe(
      'invalid field selector: invalid escape sequence: \\x',
    );
    expect(badRequestMessage(() => parseFieldSelector('a=b\\'))).toBe(
      'invalid field selector: invalid escape sequence: \\',
    );
    expect(badRequestMessage(() => parseFieldSelector('a=b=c'))).toBe(
      'invalid field selector: unescaped character in value: 61',
    );
  });

  it('builds selectors from sets', () => {
    expect(fieldSelectorFromSet({ 'metadata.name': 'web' }).toString()).toBe('metadata.name=web');
  });
});

describe('selectable fields of a kind', () => {
  const pods = kind({
    kind: 'Pod',
    resource: 'pods',
    fieldLabels: (o) => ({
      'spec.nodeName': String((o.spec as { nodeName?: string } | undefined)?.nodeName ?? ''),
      'status.phase': String((o.status as { phase?: string } | undefined)?.phase ?? ''),
    }),
  });
  const configMaps = kind({ kind: 'ConfigMap', resource: 'configmaps' });

  it('adds metadata.name and metadata.namespace to the kind own fields', () => {
    const pod: KubeObject = {
      metadata: { name: 'web', namespace: 'default' },
      spec: { nodeName: 'n1' },
    };
    expect(selectableFields(pods, pod)).toEqual({
      'metadata.name': 'web',
      'metadata.namespace': 'default',
      'spec.nodeName': 'n1',
      'status.phase': '',
    });
    expect(
      parseFieldSelector('spec.nodeName=n1,metadata.namespace=default').matches(
        selectableFields(pods, pod),
      ),
    ).toBe(true);
    expect(supportedFieldLabels(pods)).toEqual([
      'metadata.name',
      'metadata.namespace',
      'spec.nodeName',
      'status.phase',
    ]);
    expect(supportedFieldLabels(configMaps)).toEqual(['metadata.name', 'metadata.namespace']);
  });

  it('accepts supported fields and rejects others with the conversion error upstream gives', () => {
    expect(() =>
      checkFieldSelectorSupported(pods, parseFieldSelector('spec.nodeName=n1,metadata.name=x')),
    ).not.toThrow();
    expect(
      badRequestMessage(() => checkFieldSelectorSupported(pods, parseFieldSelector('spec.foo=x'))),
    ).toBe('field label not supported: spec.foo');
    expect(
      badRequestMessage(() =>
        checkFieldSelectorSupported(configMaps, parseFieldSelector('data.x=y')),
      ),
    ).toBe('"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('survives a fieldLabels that throws on a minimal object', () => {
    const careless = kind({
      fieldLabels: (o) => ({ 'spec.x': (o.spec as { x: string }).x }),
    });
    expect(supportedFieldLabels(careless)).toEqual(['metadata.name', 'metadata.namespace']);
  });
});
