import { createHash } from 'node:crypto';
import { scheme } from '@kubeling/api';
import { buildOpenApiV3 } from './openapi';

describe('buildOpenApiV3', () => {
  const v3 = buildOpenApiV3(scheme.all());

  it('indexes one document per group-version under its serverRelativeURL and content hash', () => {
    expect(Object.keys(v3.index.paths).sort()).toEqual([
      'api/v1',
      'apis/apps/v1',
      'apis/batch/v1',
      'apis/coordination.k8s.io/v1',
      'apis/discovery.k8s.io/v1',
      'apis/scheduling.k8s.io/v1',
    ]);
    for (const [path, { serverRelativeURL }] of Object.entries(v3.index.paths)) {
      const doc = v3.documents.get(path);
      if (!doc) throw new Error(`no document for ${path}`);
      // kubectl caches by this hash: it must change exactly when the document does.
      const hash = createHash('sha512').update(doc.body).digest('hex').toUpperCase();
      expect(doc.hash).toBe(hash);
      expect(serverRelativeURL).toBe(`/openapi/v3/${path}?hash=${hash}`);
      expect(JSON.parse(doc.body)).toMatchObject({ openapi: '3.0.0' });
    }
  });

  it('is the same on every start, so caches and replicas agree', () => {
    const again = buildOpenApiV3(scheme.all());
    expect(again.index).toEqual(v3.index);
    // The registry hands over a fresh array of the same kinds: the same documents.
    expect(buildOpenApiV3([...scheme.all()]).index).toEqual(v3.index);
  });
});
