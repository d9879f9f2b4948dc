import type { KindInfo, TypeNode } from '@kubeling/api';
import { apiVersionOf, scheme, typeOfKind } from '@kubeling/api';
import type { OpenApiDocument } from './document';
import { groupVersionDocument } from './document';
import { goTypes, goTypesFor } from './goTypes';
import { definitionName, groupVersionPath } from './names';
import type { Schema } from './schemas';
import { refName } from './schemas';

const kinds = scheme.all();
const gvs = scheme.groupVersions();
const built = new Map(
  gvs.map((gv) => [apiVersionOf(gv), groupVersionDocument(kinds, gv.group, gv.version)]),
);

function doc(apiVersion: string): OpenApiDocument {
  const d = built.get(apiVersion);
  if (!d) throw new Error(`no document for ${apiVersion}`);
  return d.document;
}

function schemaOf(apiVersion: string, name: string): Schema {
  const s = doc(apiVersion).components.schemas[name];
  if (!s) throw new Error(`${name} is not defined in ${apiVersion}`);
  return s;
}

function prop(apiVersion: string, name: string, field: string): Schema {
  return (schemaOf(apiVersion, name)['properties'] as Record<string, Schema>)[field] as Schema;
}

/** Every `$ref` anywhere in a JSON value. */
function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refs(x, out);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x);
      else refs(x, out);
    }
  return out;
}

function itemPath(k: KindInfo): string {
  const gv = `/${groupVersionPath(k.group, k.version)}`;
  return k.namespaced
    ? `${gv}/namespaces/{namespace}/${k.resource}/{name}`
    : `${gv}/${k.resource}/{name}`;
}

describe('the OpenAPI v3 documents of the scheme', () => {
  it('are built without disagreement between the zod schemas, the catalogue and the merge types', () => {
    for (const [gv, d] of built) expect([gv, d.problems]).toEqual([gv, []]);
  });

  it('resolve every $ref within the same document', () => {
    for (const [gv, { document }] of built) {
      const missing = refs(document)
        .map((r) => r.replace('#/components/schemas/', ''))
        .filter((n) => !document.components.schemas[n]);
      expect([gv, [...new Set(missing)]]).toEqual([gv, []]);
    }
  });

  it('give every kind and its List a schema carrying its GVK', () => {
    for (const k of kinds) {
      const apiVersion = apiVersionOf(k);
      for (const kind of [k.kind, `${k.kind}List`]) {
        const s = schemaOf(apiVersion, definitionName({ ...k, kind }));
        expect(s['x-kubernetes-group-version-kind']).toEqual([
          { group: k.group, kind, version: k.version },
        ]);
      }
    }
  });

  it('have a PATCH per kind with its GVK and the fieldValidation parameter kubectl looks for', () => {
    for (const k of kinds) {
      const item = doc(apiVersionOf(k)).paths[itemPath(k)] as Record<string, Schema>;
      const patch = item['patch'] as Schema;
      expect(patch['x-kubernetes-group-version-kind']).toEqual({
        group: k.group,
        version: k.version,
        kind: k.kind,
      });
      const params = (patch['parameters'] as Schema[]).map((p) => p['name']);
      expect(params).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    }
  });

  it('give every PATCH operation a fieldValidation parameter', () => {
    for (const [gv, { document }] of built)
      for (const [path, item] of Object.entries(document.paths)) {
        const patch = (item as Record<string, Schema>)['patch'];
        if (!patch || patch['x-kubernetes-action'] !== 'patch') continue;
        const names = (patch['parameters'] as Schema[]).map((p) => p['name']);
        expect([gv, path, names]).toEqual([gv, path, expect.arrayContaining(['fieldValidation'])]);
      }
  });

  it('do not offer strategic merge patch bodies, so kubectl apply keeps its compiled-in types', () => {
    for (const { document } of built.values())
      expect(JSON.stringify(document.paths)).not.toContain('strategic-merge-patch');
  });

  it('have the operations upstream installs, with unique operation ids', () => {
    const core = doc('v1').paths;
    expect(Object.keys(core['/api/v1/namespaces/{namespace}/pods'] ?? {}).sort()).toEqual([
      'delete',
      'get',
      'parameters',
      'post',
    ]);
    expect(Object.keys(core['/api/v1/namespaces/{namespace}/pods/{name}'] ?? {}).sort()).toEqual([
      'delete',
      'get',
      'parameters',
      'patch',
      'put',
    ]);
    expect(core['/api/v1/pods']).toBeDefined();
    expect(core['/api/v1/watch/namespaces/{namespace}/pods/{name}']).toBeDefined();
    expect(core['/api/v1/namespaces/{namespace}/pods/{name}/status']).toBeDefined();
    expect(core['/api/v1/namespaces/{namespace}/pods/{name}/binding']).toBeDefined();
    expect(core['/api/v1/nodes/{name}']).toBeDefined();
    const scale = doc('apps/v1').paths[
      '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'
    ] as Record<string, Schema>;
    expect(scale['patch']?.['x-kubernetes-group-version-kind']).toEqual({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
    const ids = [...built.values()].flatMap(({ document }) =>
      Object.values(document.paths).flatMap((item) =>
        Object.values(item as Record<string, Schema>)
          .map((op) => op['operationId'])
          .filter((id) => id !== undefined),
      ),
    );
    expect(ids).toContain('patchCoreV1NamespacedPod');
    expect(ids).toContain('listAppsV1DeploymentForAllNamespaces');
    expect(ids).toContain('readCoordinationV1NamespacedLease');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describe every definition and every field, in whole sentences of our own', () => {
    const undescribed: string[] = [];
    const check = (where: string, words: unknown) => {
      // A sentence or two: starts with a capital or a `literal`, ends with a full stop.
      if (typeof words !== 'string' || !/^[A-Z`]/.test(words) || !/[.)]$/.test(words.trim()))
        undescribed.push(`${where}: ${JSON.stringify(words)}`);
    };
    for (const [gv, { document }] of built)
      for (const [name, s] of Object.entries(document.components.schemas)) {
        check(`${gv} ${name}`, s['description']);
        for (const [f, p] of Object.entries((s['properties'] ?? {}) as Record<string, Schema>))
          check(`${gv} ${name}.${f}`, p['description']);
      }
    // The catalogue itself, options types and free-form objects included.
    for (const [name, def] of Object.entries(goTypesFor(kinds).types)) {
      check(name, def.description);
      for (const [f, field] of Object.entries(def.fields ?? {}))
        check(`${name}.${f}`, field.description);
    }
    expect(undescribed).toEqual([]);
    expect(prop('v1', 'io.k8s.api.core.v1.PodSpec', 'containers')['description']).toBe(
      'The application containers of the pod; at least one. Containers cannot be added or removed once the pod exists.',
    );
  });

  it('use every entry of the catalogue: no description is written for nothing', () => {
    const emitted = new Map<string, Set<string>>();
    const parameters = new Set<string>();
    for (const { document } of built.values()) {
      for (const [name, s] of Object.entries(document.components.schemas))
        emitted.set(name, new Set(Object.keys((s['properties'] ?? {}) as Schema)));
      for (const item of Object.values(document.paths))
        for (const op of Object.values(item as Record<string, unknown>))
          for (const p of (Array.isArray(op)
            ? op
            : ((op as Schema)['parameters'] ?? [])) as Schema[])
            parameters.add(String(p['name']));
    }
    // Read by paths.ts for query parameters, never a schema of their own.
    const options = new Set(
      [
        'apis.meta.v1.ListOptions',
        'apis.meta.v1.CreateOptions',
        'apis.meta.v1.UpdateOptions',
        'apis.meta.v1.PatchOptions',
      ]
        .map((n) => `io.k8s.apimachinery.pkg.${n}`)
        .concat(
          [
            'PodLogOptions',
            'PodExecOptions',
            'PodAttachOptions',
            'PodPortForwardOptions',
            'PodProxyOptions',
            'NodeProxyOptions',
            'ServiceProxyOptions',
          ].map((n) => `io.k8s.api.core.v1.${n}`),
        ),
    );
    // Kept as sent (zod has no fields for them): the field that holds them uses their words.
    const freeForm = new Set(
      ['NodeConfigSource', 'NodeConfigStatus'].map((n) => `io.k8s.api.core.v1.${n}`),
    );
    const unused: string[] = [];
    for (const [name, def] of Object.entries(goTypes)) {
      const properties = emitted.get(name);
      const fields = Object.keys(def.fields ?? {});
      if (options.has(name)) {
        for (const f of fields)
          if (!parameters.has(f)) unused.push(`${name}.${f} (no such parameter)`);
      } else if (!properties) {
        if (!freeForm.has(name)) unused.push(name);
      } else for (const f of fields) if (!properties.has(f)) unused.push(`${name}.${f}`);
    }
    expect(unused).toEqual([]);
  });

  it('name, type and annotate the fields kubectl explain and apply look at as upstream does', () => {
    expect(prop('v1', 'io.k8s.api.core.v1.PodSpec', 'containers')).toMatchObject({
      type: 'array',
      items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.Container' }] },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(prop('v1', 'io.k8s.api.core.v1.Container', 'ports')).toMatchObject({
      'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
      'x-kubernetes-patch-merge-key': 'containerPort',
    });
    expect(prop('v1', 'io.k8s.api.core.v1.ServiceSpec', 'ports')).toMatchObject({
      'x-kubernetes-list-map-keys': ['port', 'protocol'],
      'x-kubernetes-patch-merge-key': 'port',
    });
    expect(prop('v1', 'io.k8s.api.core.v1.PodSpec', 'volumes')).toMatchObject({
      'x-kubernetes-patch-strategy': 'merge,retainKeys',
    });
    expect(prop('v1', 'io.k8s.api.core.v1.PodSpec', 'nodeSelector')).toMatchObject({
      additionalProperties: { type: 'string', default: '' },
      'x-kubernetes-map-type': 'atomic',
    });
    expect(schemaOf('apps/v1', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector')).toMatchObject(
      {
        'x-kubernetes-map-type': 'atomic',
      },
    );
    expect(prop('v1', 'io.k8s.api.core.v1.Container', 'imagePullPolicy')).toMatchObject({
      type: 'string',
      enum: ['Always', 'IfNotPresent', 'Never'],
    });
    expect(prop('v1', 'io.k8s.api.core.v1.ContainerPort', 'protocol')).toMatchObject({
      enum: ['SCTP', 'TCP', 'UDP'],
      default: 'TCP',
    });
    // structType=atomic reaches every document, not only those of the kinds that declare it.
    expect(schemaOf('v1', 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector')).toMatchObject({
      'x-kubernetes-map-type': 'atomic',
    });
    expect(prop('apps/v1', 'io.k8s.api.apps.v1.DeploymentSpec', 'strategy')).toMatchObject({
      'x-kubernetes-patch-strategy': 'retainKeys',
    });
    expect(schemaOf('v1', 'io.k8s.api.core.v1.Container')['required']).toEqual(['name', 'image']);
    expect(schemaOf('v1', 'io.k8s.api.core.v1.ServicePort')['required']).toEqual(['port']);
  });

  it('agree with the merge types strategic merge patch and apply use (libs/api patch)', () => {
    // Both are transcribed from the same Go markers; a field zod does not have is skipped.
    const disagreements: string[] = [];
    for (const k of kinds) {
      const schemas = doc(apiVersionOf(k)).components.schemas;
      const resolve = (s: Schema): Schema => {
        const allOf = s['allOf'] as Schema[] | undefined;
        const name = refName(s) ?? (allOf?.[0] ? refName(allOf[0]) : undefined);
        return name ? { ...(schemas[name] as Schema), ...s } : s;
      };
      const walk = (node: TypeNode, s: Schema, at: string): void => {
        const r = resolve(s);
        const differ = (what: string, table: unknown, schema: unknown) => {
          if (JSON.stringify(table) !== JSON.stringify(schema))
            disagreements.push(
              `${k.kind} ${at}: ${what} ${JSON.stringify(table)} vs ${JSON.stringify(schema)}`,
            );
        };
        if (node.kind === 'struct') {
          if (node.atomic) differ('map-type', 'atomic', r['x-kubernetes-map-type']);
          for (const [f, t] of Object.entries(node.fields)) {
            const p = (r['properties'] as Record<string, Schema> | undefined)?.[f];
            if (p) walk(t, p, `${at}.${f}`);
          }
        } else if (node.kind === 'map') {
          if (node.atomic) differ('map-type', 'atomic', s['x-kubernetes-map-type']);
          walk(node.values, (r['additionalProperties'] ?? {}) as Schema, `${at}{}`);
        } else if (node.kind === 'list') {
          differ('list-type', node.listType, s['x-kubernetes-list-type'] ?? 'atomic');
          if (node.keys) differ('list-map-keys', node.keys, s['x-kubernetes-list-map-keys']);
          const strategy = String(s['x-kubernetes-patch-strategy'] ?? '').split(',');
          differ('patch', node.patch, strategy.includes('merge') ? 'merge' : 'replace');
          if (node.mergeKey) differ('merge key', node.mergeKey, s['x-kubernetes-patch-merge-key']);
          walk(node.items, (r['items'] ?? {}) as Schema, `${at}[]`);
        }
      };
      walk(typeOfKind(k.group, k.kind), schemas[definitionName(k)] as Schema, '');
    }
    expect(disagreements).toEqual([]);
  });

  it('use int32/int64, date-time, byte, IntOrString and Quantity where Go does', () => {
    expect(prop('apps/v1', 'io.k8s.api.apps.v1.DeploymentSpec', 'replicas')).toMatchObject({
      type: 'integer',
      format: 'int32',
    });
    expect(
      prop('v1', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'generation'),
    ).toMatchObject({
      type: 'integer',
      format: 'int64',
    });
    expect(
      prop('v1', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'creationTimestamp'),
    ).toMatchObject({
      allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time' }],
    });
    expect(schemaOf('v1', 'io.k8s.apimachinery.pkg.apis.meta.v1.Time')).toMatchObject({
      type: 'string',
      format: 'date-time',
    });
    expect(prop('v1', 'io.k8s.api.core.v1.Secret', 'data')).toMatchObject({
      additionalProperties: { type: 'string', format: 'byte' },
    });
    expect(prop('apps/v1', 'io.k8s.api.apps.v1.RollingUpdateDeployment', 'maxSurge')).toMatchObject(
      {
        allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }],
      },
    );
    expect(schemaOf('apps/v1', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString')).toMatchObject({
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
    });
    expect(prop('v1', 'io.k8s.api.core.v1.ResourceRequirements', 'limits')).toMatchObject({
      additionalProperties: {
        allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' }],
      },
    });
    expect(schemaOf('v1', 'io.k8s.apimachinery.pkg.api.resource.Quantity')).toMatchObject({
      oneOf: [{ type: 'string' }, { type: 'number' }],
    });
  });

  it('are deterministic and quick to build', () => {
    const start = Date.now();
    for (const gv of gvs) {
      const again = groupVersionDocument(kinds, gv.group, gv.version).document;
      expect(JSON.stringify(again)).toBe(JSON.stringify(doc(apiVersionOf(gv))));
    }
    // Built once per process start; this is the whole scheme, four documents.
    expect(Date.now() - start).toBeLessThan(2000);
  });
});
