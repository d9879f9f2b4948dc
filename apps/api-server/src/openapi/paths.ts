/**
 * The `paths` of a group-version document: the REST operations upstream's api-server installs
 * for each kind (pkg/endpoints/installer.go), with upstream's operation ids, parameters and
 * `x-kubernetes-action` / `x-kubernetes-group-version-kind`, described in our own words (query
 * parameters by the catalogue's options types: ListOptions, PatchOptions, PodLogOptions...).
 *
 * kubectl relies on two of them: a PATCH operation per kind carrying the kind's GVK and a
 * `fieldValidation` parameter makes it leave validation to the server (`--validate=strict`
 * sends `?fieldValidation=Strict`), and `kubectl explain` finds a resource's kind through the
 * GVK on its list or item path. PATCH request bodies deliberately do not list
 * `application/strategic-merge-patch+json`: when they do, `kubectl apply` computes its patch
 * from these schemas instead of its compiled-in Go types, and warns or differs wherever the
 * schemas are not a perfect copy.
 */
import type { KindInfo, Subresource } from '@kubeling/api';
import type { GoTypeDefinitions } from './goTypes';
import { definitionName, groupVersionPath, metaV1, operationGroup, operationTag } from './names';
import type { GroupVersionKind, Schema } from './schemas';
import { ref } from './schemas';

export type PathItem = Record<string, unknown>;

/** Every body kind a path refers to; the document defines each of them. */
export interface PathRefs {
  definitions: Set<string>;
}

type Options = 'ListOptions' | 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

const queryParameters: Record<Options, string[]> = {
  ListOptions: [
    'allowWatchBookmarks',
    'continue',
    'fieldSelector',
    'labelSelector',
    'limit',
    'resourceVersion',
    'resourceVersionMatch',
    'sendInitialEvents',
    'timeoutSeconds',
    'watch',
  ],
  CreateOptions: ['dryRun', 'fieldManager', 'fieldValidation'],
  UpdateOptions: ['dryRun', 'fieldManager', 'fieldValidation'],
  PatchOptions: ['dryRun', 'fieldManager', 'fieldValidation', 'force'],
  DeleteOptions: [
    'dryRun',
    'gracePeriodSeconds',
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'orphanDependents',
    'propagationPolicy',
  ],
};

const jsonContent = ['application/json', 'application/yaml'];
const watchContent = ['application/json', 'application/json;stream=watch', 'application/yaml'];

function content(types: readonly string[], schema: Schema): Schema {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

export class PathsBuilder {
  readonly paths: Record<string, PathItem> = {};
  readonly refs: PathRefs = { definitions: new Set() };

  constructor(private readonly types: GoTypeDefinitions) {}

  /** A query parameter, typed and described from the Go options type that declares it. */
  private query(owner: string, name: string): Schema {
    const field = this.types[owner]?.fields?.[name];
    const t = (field?.type ?? 'string').replace(/^\[\]/, '');
    const type =
      t === 'boolean' ? 'boolean' : t === 'int32' || t === 'int64' ? 'integer' : 'string';
    const p: Schema = { name, in: 'query' };
    if (field?.description) p['description'] = field.description;
    p['schema'] = { type, uniqueItems: true };
    return p;
  }

  private options(kind: Options, ...extra: Options[]): Schema[] {
    const params = new Map<string, Schema>();
    for (const o of [kind, ...extra])
      for (const n of queryParameters[o]) params.set(n, this.query(`${metaV1}.${o}`, n));
    return [...params.keys()].sort().map((n) => params.get(n) as Schema);
  }

  private pathParameter(name: string, description: string): Schema {
    return {
      name,
      in: 'path',
      description,
      required: true,
      schema: { type: 'string', uniqueItems: true },
    };
  }

  private get pretty(): Schema {
    return {
      name: 'pretty',
      in: 'query',
      description: 'Set to `true` to get the response indented for reading.',
      schema: { type: 'string', uniqueItems: true },
    };
  }

  private body(definition: string): Schema {
    this.refs.definitions.add(definition);
    return ref(definition);
  }

  private operation(
    k: KindInfo,
    op: {
      id: string;
      description: string;
      action: string;
      gvk?: GroupVersionKind;
      parameters?: Schema[];
      requestBody?: Schema;
      responses: Record<string, Schema>;
    },
  ): Schema {
    const o: Schema = {
      tags: [operationTag(k.group, k.version)],
      description: op.description,
      operationId: op.id,
    };
    if (op.parameters?.length) o['parameters'] = op.parameters;
    if (op.requestBody) o['requestBody'] = op.requestBody;
    o['responses'] = { ...op.responses, '401': { description: 'Unauthorized' } };
    o['x-kubernetes-action'] = op.action;
    const gvk = op.gvk ?? k;
    o['x-kubernetes-group-version-kind'] = {
      group: gvk.group,
      version: gvk.version,
      kind: gvk.kind,
    };
    return o;
  }

  private ok(schema: Schema, types = jsonContent, codes = ['200']): Record<string, Schema> {
    const names: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
    return Object.fromEntries(
      codes.map((c) => [c, { description: names[c], content: content(types, schema) }]),
    );
  }

  /** Every operation upstream installs for `k` and the subresources kubeling serves. */
  addKind(k: KindInfo): void {
    const gv = `/${groupVersionPath(k.group, k.version)}`;
    const G = operationGroup(k.group, k.version);
    const N = k.namespaced ? 'Namespaced' : '';
    const kind = k.kind;
    const obj = this.body(definitionName(k));
    const list = this.body(definitionName({ ...k, kind: `${kind}List` }));
    const status = this.body(`${metaV1}.Status`);
    const watchEvent = this.body(`${metaV1}.WatchEvent`);
    const deleteOptions = this.body(`${metaV1}.DeleteOptions`);
    const patch = this.body(`${metaV1}.Patch`);
    const ns = this.pathParameter('namespace', 'The namespace of the objects.');
    const name = this.pathParameter('name', `The name of the ${kind}.`);
    const scope = k.namespaced ? [ns] : [];
    const collection = k.namespaced
      ? `${gv}/namespaces/{namespace}/${k.resource}`
      : `${gv}/${k.resource}`;
    const item = `${collection}/{name}`;
    const patchBody = {
      content: content(
        [
          'application/apply-patch+yaml',
          'application/json-patch+json',
          'application/merge-patch+json',
        ],
        patch,
      ),
    };

    this.paths[collection] = {
      get: this.operation(k, {
        id: `list${G}${N}${kind}`,
        description: `Lists ${kind} objects, or watches them for changes with watch=true.`,
        action: 'list',
        parameters: this.options('ListOptions'),
        responses: this.ok(list, watchContent),
      }),
      post: this.operation(k, {
        id: `create${G}${N}${kind}`,
        description: `Creates a ${kind}.`,
        action: 'post',
        parameters: this.options('CreateOptions'),
        requestBody: { content: { '*/*': { schema: obj } } },
        responses: this.ok(obj, jsonContent, ['200', '201', '202']),
      }),
      delete: this.operation(k, {
        id: `delete${G}Collection${N}${kind}`,
        description: `Deletes every ${kind} the selectors match.`,
        action: 'deletecollection',
        parameters: this.options('DeleteOptions', 'ListOptions').filter(
          (p) => p['name'] !== 'watch' && p['name'] !== 'allowWatchBookmarks',
        ),
        requestBody: { content: { '*/*': { schema: deleteOptions } } },
        responses: this.ok(status),
      }),
      parameters: [...scope, this.pretty],
    };
    this.paths[item] = {
      get: this.operation(k, {
        id: `read${G}${N}${kind}`,
        description: `Reads a ${kind}.`,
        action: 'get',
        responses: this.ok(obj),
      }),
      put: this.operation(k, {
        id: `replace${G}${N}${kind}`,
        description: `Replaces a ${kind} as a whole.`,
        action: 'put',
        parameters: this.options('UpdateOptions'),
        requestBody: { content: { '*/*': { schema: obj } } },
        responses: this.ok(obj, jsonContent, ['200', '201']),
      }),
      delete: this.operation(k, {
        id: `delete${G}${N}${kind}`,
        description: `Deletes a ${kind}.`,
        action: 'delete',
        parameters: this.options('DeleteOptions'),
        requestBody: { content: { '*/*': { schema: deleteOptions } } },
        responses: { ...this.ok(obj), ...this.ok(obj, jsonContent, ['202']) },
      }),
      patch: this.operation(k, {
        id: `patch${G}${N}${kind}`,
        description: `Changes part of a ${kind} with a patch.`,
        action: 'patch',
        parameters: this.options('PatchOptions'),
        requestBody: patchBody,
        responses: this.ok(obj, jsonContent, ['200', '201']),
      }),
      parameters: [name, ...scope, this.pretty],
    };

    // The deprecated /watch/ paths, and the list across namespaces.
    const watchCollection = k.namespaced
      ? `${gv}/watch/namespaces/{namespace}/${k.resource}`
      : `${gv}/watch/${k.resource}`;
    const listParams = [...this.options('ListOptions'), this.pretty];
    this.paths[watchCollection] = {
      get: this.operation(k, {
        id: `watch${G}${N}${kind}List`,
        description: `Watches ${kind} objects for changes. Deprecated: list with watch=true instead.`,
        action: 'watchlist',
        responses: this.ok(watchEvent, watchContent),
      }),
      parameters: [...scope, ...listParams],
    };
    this.paths[`${watchCollection}/{name}`] = {
      get: this.operation(k, {
        id: `watch${G}${N}${kind}`,
        description: `Watches one ${kind} for changes. Deprecated: list with watch=true and a fieldSelector on metadata.name instead.`,
        action: 'watch',
        responses: this.ok(watchEvent, watchContent),
      }),
      parameters: [name, ...scope, ...listParams],
    };
    if (k.namespaced) {
      this.paths[`${gv}/${k.resource}`] = {
        get: this.operation(k, {
          id: `list${G}${kind}ForAllNamespaces`,
          description: `Lists ${kind} objects, or watches them for changes with watch=true.`,
          action: 'list',
          responses: this.ok(list, watchContent),
        }),
        parameters: listParams,
      };
      this.paths[`${gv}/watch/${k.resource}`] = {
        get: this.operation(k, {
          id: `watch${G}${kind}ListForAllNamespaces`,
          description: `Watches ${kind} objects for changes. Deprecated: list with watch=true instead.`,
          action: 'watchlist',
          responses: this.ok(watchEvent, watchContent),
        }),
        parameters: listParams,
      };
    }

    for (const sub of k.subresources) this.addSubresource(k, sub, item, [name, ...scope]);
  }

  private addSubresource(k: KindInfo, sub: Subresource, item: string, params: Schema[]): void {
    const G = operationGroup(k.group, k.version);
    const N = k.namespaced ? 'Namespaced' : '';
    const kind = k.kind;
    const Sub = sub.charAt(0).toUpperCase() + sub.slice(1);
    const path = `${item}/${sub}`;
    switch (sub) {
      case 'status':
      case 'scale': {
        const scale = sub === 'scale';
        const gvk = scale ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : undefined;
        const obj = this.body(scale ? 'io.k8s.api.autoscaling.v1.Scale' : definitionName(k));
        const patch = this.body(`${metaV1}.Patch`);
        this.paths[path] = {
          get: this.operation(k, {
            id: `read${G}${N}${kind}${Sub}`,
            description: `Reads the ${sub} of a ${kind}.`,
            action: 'get',
            gvk,
            responses: this.ok(obj),
          }),
          put: this.operation(k, {
            id: `replace${G}${N}${kind}${Sub}`,
            description: `Replaces the ${sub} of a ${kind}.`,
            action: 'put',
            gvk,
            parameters: this.options('UpdateOptions'),
            requestBody: { content: { '*/*': { schema: obj } } },
            responses: this.ok(obj, jsonContent, ['200', '201']),
          }),
          patch: this.operation(k, {
            id: `patch${G}${N}${kind}${Sub}`,
            description: `Changes part of the ${sub} of a ${kind} with a patch.`,
            action: 'patch',
            gvk,
            parameters: this.options('PatchOptions'),
            requestBody: {
              content: content(
                [
                  'application/apply-patch+yaml',
                  'application/json-patch+json',
                  'application/merge-patch+json',
                ],
                patch,
              ),
            },
            responses: this.ok(obj, jsonContent, ['200', '201']),
          }),
          parameters: [...params, this.pretty],
        };
        return;
      }
      case 'binding':
      case 'eviction': {
        const def =
          sub === 'binding' ? 'io.k8s.api.core.v1.Binding' : 'io.k8s.api.policy.v1.Eviction';
        const gvk =
          sub === 'binding'
            ? { group: '', version: 'v1', kind: 'Binding' }
            : { group: 'policy', version: 'v1', kind: 'Eviction' };
        const obj = this.body(def);
        this.paths[path] = {
          post: this.operation(k, {
            id: `create${G}${N}${kind}${Sub}`,
            description: `Posts a ${Sub} for a ${kind}.`,
            action: 'post',
            gvk,
            parameters: this.options('CreateOptions'),
            requestBody: { content: { '*/*': { schema: obj } } },
            responses: this.ok(obj, jsonContent, ['200', '201', '202']),
          }),
          parameters: [...params, this.pretty],
        };
        return;
      }
      case 'finalize': {
        const obj = this.body(definitionName(k));
        this.paths[path] = {
          put: this.operation(k, {
            id: `replace${G}${N}${kind}${Sub}`,
            description: `Replaces the ${sub} of a ${kind}.`,
            action: 'put',
            parameters: this.options('UpdateOptions'),
            requestBody: { content: { '*/*': { schema: obj } } },
            responses: this.ok(obj, jsonContent, ['200', '201']),
          }),
          parameters: [...params, this.pretty],
        };
        return;
      }
      case 'log': {
        const owner = `io.k8s.api.core.v1.${kind}LogOptions`;
        const logParams = Object.keys(this.types[owner]?.fields ?? {})
          .filter((f) => f !== 'apiVersion' && f !== 'kind')
          .sort()
          .map((f) => this.query(owner, f));
        this.paths[path] = {
          get: this.operation(k, {
            id: `read${G}${N}${kind}${Sub}`,
            description: `Reads the ${sub} of a ${kind}.`,
            action: 'get',
            responses: this.ok({ type: 'string' }, [
              'application/json',
              'application/yaml',
              'text/plain',
            ]),
          }),
          parameters: [...logParams, ...params, this.pretty],
        };
        return;
      }
      case 'exec':
      case 'attach':
      case 'portforward':
      case 'proxy': {
        const optionsKind = `${kind}${sub === 'portforward' ? 'PortForward' : Sub}Options`;
        const owner = `io.k8s.api.core.v1.${optionsKind}`;
        const gvk = { group: '', version: 'v1', kind: optionsKind };
        const optionParams = Object.keys(this.types[owner]?.fields ?? {})
          .filter((f) => f !== 'apiVersion' && f !== 'kind')
          .sort()
          .map((f) => this.query(owner, f));
        const methods =
          sub === 'proxy'
            ? ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']
            : ['get', 'post'];
        const connect = (withPath: boolean) =>
          Object.fromEntries(
            methods.map((m) => {
              const M = m.charAt(0).toUpperCase() + m.slice(1);
              return [
                m,
                this.operation(k, {
                  id: `connect${G}${M}${N}${kind}${Sub}${withPath ? 'WithPath' : ''}`,
                  description: `Passes ${m.toUpperCase()} requests on to the ${sub} of a ${kind}.`,
                  action: 'connect',
                  gvk,
                  responses: this.ok({ type: 'string' }, ['*/*']),
                }),
              ];
            }),
          );
        const renamed = params.map((p) =>
          p['name'] === 'name' ? { ...p, description: `The name of the ${optionsKind}.` } : p,
        );
        this.paths[path] = { ...connect(false), parameters: [...optionParams, ...renamed] };
        if (sub === 'proxy')
          this.paths[`${path}/{path}`] = {
            ...connect(true),
            parameters: [
              ...renamed,
              this.pathParameter('path', 'The path to request.'),
              ...optionParams,
            ],
          };
        return;
      }
    }
  }
}
