/**
 * Request options of the generic registry, parsed from query strings (and DeleteOptions bodies)
 * with the api-server's rules. Transport-neutral: HTTP and NATS both produce these.
 */
import type { FieldSelector, FieldValidation, Query, Selector } from '@kubeling/api';
import type { FieldError } from '@kubeling/api';
import {
  badRequest,
  forbiddenField,
  invalid,
  notSupported,
  parseFieldSelector,
  parseLabelSelector,
  path,
} from '@kubeling/api';

export type { Query };

export function one(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[0] : v;
}

export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  fieldManager?: string;
  force?: boolean;
  /** The client's User-Agent: writes without fieldManager are recorded under its first token. */
  userAgent?: string;
}

export interface ListOptions {
  labelSelector: Selector;
  fieldSelector: FieldSelector;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
}

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  dryRun: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
}

function intParam(q: Query, key: string): number | undefined {
  const v = one(q, key);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v))
    throw badRequest(`invalid value for ${key}: ${JSON.stringify(v)}: must be an integer`);
  return Number(v);
}

function boolParam(q: Query, key: string): boolean {
  const v = one(q, key);
  return v === 'true' || v === '1';
}

export function parseWriteOptions(q: Query): WriteOptions {
  const dry = q.dryRun;
  const dryValues = dry === undefined ? [] : Array.isArray(dry) ? dry : [dry];
  for (const d of dryValues)
    if (d !== 'All')
      throw badRequest(`Invalid dry run value: ${JSON.stringify(d)}: supported values: "All"`);
  const fv = one(q, 'fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore')
    throw badRequest(
      `fieldValidation "${fv}" is not valid: must be one of "Ignore", "Warn", or "Strict"`,
    );
  const opts: WriteOptions = { dryRun: dryValues.length > 0, fieldValidation: fv };
  const fm = one(q, 'fieldManager');
  if (fm !== undefined) opts.fieldManager = fm;
  if (one(q, 'force') !== undefined) opts.force = boolParam(q, 'force');
  return opts;
}

const matches = ['Exact', 'NotOlderThan'] as const;

/**
 * ValidateListOptions' resourceVersionMatch rules (422, ListOptions.meta.k8s.io), and the
 * storage's refusal of a resourceVersion beside a continue token (400).
 */
function checkResourceVersionMatch(opts: ListOptions, match: string | undefined): void {
  const errs: FieldError[] = [];
  const p = path('resourceVersionMatch');
  if (match) {
    if (!opts.resourceVersion)
      errs.push(
        forbiddenField(p, 'resourceVersionMatch is forbidden unless resourceVersion is provided'),
      );
    if (opts.continue)
      errs.push(forbiddenField(p, 'resourceVersionMatch is forbidden when continue is provided'));
    if (!(matches as readonly string[]).includes(match))
      errs.push(notSupported(p, match, [...matches, '']));
    if (match === 'Exact' && opts.resourceVersion === '0')
      errs.push(
        forbiddenField(p, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'),
      );
  }
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', errs);
  if (opts.continue && opts.resourceVersion && opts.resourceVersion !== '0')
    throw badRequest('specifying resource version is not allowed when using continue');
}

export function parseListOptions(q: Query, forWatch = false): ListOptions {
  const opts: ListOptions = {
    labelSelector: parseLabelSelector(one(q, 'labelSelector') ?? ''),
    fieldSelector: parseFieldSelector(one(q, 'fieldSelector') ?? ''),
  };
  const limit = intParam(q, 'limit');
  if (limit !== undefined && limit > 0) opts.limit = limit;
  const cont = one(q, 'continue');
  if (cont) opts.continue = cont;
  const rv = one(q, 'resourceVersion');
  if (rv !== undefined) opts.resourceVersion = rv;
  if (forWatch) return opts;
  const match = one(q, 'resourceVersionMatch');
  checkResourceVersionMatch(opts, match);
  if (match) opts.resourceVersionMatch = match as ListOptions['resourceVersionMatch'] & string;
  return opts;
}

export function parseWatchOptions(q: Query): WatchOptions {
  const opts: WatchOptions = {
    ...parseListOptions(q, true),
    allowWatchBookmarks: boolParam(q, 'allowWatchBookmarks'),
  };
  const t = intParam(q, 'timeoutSeconds');
  if (t !== undefined && t > 0) opts.timeoutSeconds = t;
  return opts;
}

export function isWatch(q: Query): boolean {
  return boolParam(q, 'watch');
}

const policies: PropagationPolicy[] = ['Orphan', 'Background', 'Foreground'];

/** DeleteOptions from the query and, when present, the body (kubectl sends `{"propagationPolicy":...}`). */
export function parseDeleteOptions(q: Query, body: unknown): DeleteOptions {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const opts = parseWriteOptions(q);
  const out: DeleteOptions = {
    dryRun: opts.dryRun || (Array.isArray(b.dryRun) && b.dryRun.includes('All')),
  };
  const grace = b.gracePeriodSeconds ?? intParam(q, 'gracePeriodSeconds');
  if (grace !== undefined) {
    if (typeof grace !== 'number' || !Number.isInteger(grace))
      throw badRequest('gracePeriodSeconds must be an integer');
    out.gracePeriodSeconds = Math.max(grace, 0);
  }
  const policy = b.propagationPolicy ?? one(q, 'propagationPolicy');
  const orphan =
    b.orphanDependents ??
    (one(q, 'orphanDependents') === undefined ? undefined : boolParam(q, 'orphanDependents'));
  if (policy !== undefined) {
    // A body may carry any JSON here; only a string is printed as itself.
    const shown = typeof policy === 'string' ? policy : JSON.stringify(policy);
    if (!policies.includes(policy as PropagationPolicy))
      throw badRequest(
        `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${shown}": supported values: "Foreground", "Background", "Orphan", "nil"`,
      );
    if (orphan !== undefined)
      throw badRequest(
        'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' +
          shown +
          '": orphanDependents and deletionPropagation cannot be both set',
      );
    out.propagationPolicy = policy as PropagationPolicy;
  } else if (orphan !== undefined) {
    out.propagationPolicy = orphan ? 'Orphan' : 'Background';
  }
  if (b.preconditions && typeof b.preconditions === 'object') {
    const p = b.preconditions as { uid?: unknown; resourceVersion?: unknown };
    out.preconditions = {};
    if (typeof p.uid === 'string') out.preconditions.uid = p.uid;
    if (typeof p.resourceVersion === 'string')
      out.preconditions.resourceVersion = p.resourceVersion;
  }
  return out;
}
