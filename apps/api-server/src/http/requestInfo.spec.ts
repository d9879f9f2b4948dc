import { parseResourcePath, verbOf } from './requestInfo';

describe('parseResourcePath', () => {
  it.each([
    ['/api/v1/pods', { group: '', version: 'v1', resource: 'pods' }],
    [
      '/api/v1/namespaces/default/pods',
      { group: '', version: 'v1', resource: 'pods', namespace: 'default' },
    ],
    [
      '/api/v1/namespaces/default/pods/web',
      { resource: 'pods', namespace: 'default', name: 'web' },
    ],
    [
      '/api/v1/namespaces/default/pods/web/status',
      { resource: 'pods', name: 'web', subresource: 'status' },
    ],
    [
      '/apis/apps/v1/namespaces/ns1/deployments/d/scale',
      { group: 'apps', resource: 'deployments', namespace: 'ns1', name: 'd', subresource: 'scale' },
    ],
    ['/api/v1/namespaces', { resource: 'namespaces' }],
    ['/api/v1/namespaces/kube-system', { resource: 'namespaces', name: 'kube-system' }],
    [
      '/api/v1/namespaces/foo/finalize',
      { resource: 'namespaces', name: 'foo', subresource: 'finalize' },
    ],
    [
      '/api/v1/namespaces/foo/status',
      { resource: 'namespaces', name: 'foo', subresource: 'status' },
    ],
    ['/api/v1/nodes/n1/status', { resource: 'nodes', name: 'n1', subresource: 'status' }],
    [
      '/api/v1/watch/namespaces/default/pods',
      { resource: 'pods', namespace: 'default', legacyWatch: true },
    ],
  ])('%s', (path, want) => {
    expect(parseResourcePath(path)).toMatchObject(want);
  });

  it('rejects paths that are not resources', () => {
    expect(parseResourcePath('/api')).toBeUndefined();
    expect(parseResourcePath('/apis/apps')).toBeUndefined();
    expect(parseResourcePath('/api/v1/namespaces/default/pods/web/status/extra')).toBeUndefined();
  });
});

describe('verbOf', () => {
  const coll = { group: '', version: 'v1', resource: 'pods', legacyWatch: false };
  const item = { ...coll, name: 'x' };
  it('maps methods to verbs as the api-server does', () => {
    expect(verbOf('GET', coll, false)).toBe('list');
    expect(verbOf('GET', coll, true)).toBe('watch');
    expect(verbOf('GET', item, false)).toBe('get');
    expect(verbOf('POST', coll, false)).toBe('create');
    expect(verbOf('PUT', item, false)).toBe('update');
    expect(verbOf('PATCH', item, false)).toBe('patch');
    expect(verbOf('DELETE', item, false)).toBe('delete');
    expect(verbOf('DELETE', coll, false)).toBe('deletecollection');
    expect(verbOf('PUT', coll, false)).toBeUndefined();
  });
});
