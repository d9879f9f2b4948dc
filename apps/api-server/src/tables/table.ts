/**
 * meta.k8s.io Table: the server-side rendering kubectl get prints (pkg/printers/storage's
 * TableConvertor and the handlers' asTable). A printer gives column definitions and turns one
 * object into one row of pre-rendered cells; this module wraps rows into a Table with the list
 * metadata (resourceVersion, continue, remainingItemCount), and attaches each row's object as
 * the client asked: PartialObjectMetadata by default (enough for -A, --show-labels, -L), the
 * full object with includeObject=Object (--sort-by), nothing with includeObject=None.
 *
 *   const table = listTable(podPrinter, podList, { version: 'v1', includeObject: 'Metadata',
 *                                                  noHeaders: false, now: Date.now() });
 */
import { badRequest } from '@kubeling/api';
import type { KubeObject } from '@kubeling/api';
import type { Query } from '../registry/options';
import { one } from '../registry/options';
import type { ListMeta } from './listMeta';
import { metaGroup } from './mediaType';
import { partialObjectMetadata } from './partialObjectMetadata';

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

/** TableColumnDefinition: every field is always serialized (none is omitempty upstream). */
export interface TableColumnDefinition {
  name: string;
  type: ColumnType;
  format: string;
  description: string;
  priority: number;
}

export type Cell = string | number | boolean;

/** TableRowCondition: only "Completed" exists (a terminated pod's row). */
export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: ListMeta;
  /** null after the first event of a watch (upstream's NoHeaders): kubectl reuses the last ones. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** A printed row, before its object is attached. */
export interface PrintedRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
}

/** The columns and row printer of one kind (one TableHandler upstream). */
export interface TablePrinter {
  columns: readonly TableColumnDefinition[];
  print(obj: KubeObject, now: number): PrintedRow;
}

/**
 * Declares a printer for objects of type T. The api-server only hands a printer objects of its
 * own kind (decoded and validated on write), so the cast is where that invariant is relied on.
 */
export function printer<T>(
  columns: readonly TableColumnDefinition[],
  print: (obj: T, now: number) => PrintedRow | Cell[],
): TablePrinter {
  return {
    columns,
    print: (obj, now) => {
      const r = print(obj as unknown as T, now);
      return Array.isArray(r) ? { cells: r } : r;
    },
  };
}

/** A column definition; `priority: 1` columns are shown by kubectl only with -o wide. */
export function column(
  name: string,
  type: ColumnType,
  description: string,
  opts: { priority?: number; format?: string } = {},
): TableColumnDefinition {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

/** Descriptions of the columns every kind has (ObjectMeta's field documentation). */
export const nameDescription =
  'Name must be unique within a namespace. Is required when creating resources, although some ' +
  'resources may allow a client to request the generation of an appropriate name ' +
  'automatically. Name is primarily intended for creation idempotence and configuration ' +
  'definition. Cannot be updated. More info: ' +
  'https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

export const creationTimestampDescription =
  'CreationTimestamp is a timestamp representing the server time when this object was ' +
  'created. It is not guaranteed to be set in happens-before order across separate ' +
  'operations. Clients may not set this value. It is represented in RFC3339 form and is in ' +
  'UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: ' +
  'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const nameColumn = column('Name', 'string', nameDescription, { format: 'name' });
export const ageColumn = column('Age', 'string', creationTimestampDescription);

/**
 * rest.NewDefaultTableConvertor: what a kind without its own printer gets (Name, Created At).
 */
export const defaultPrinter: TablePrinter = printer<KubeObject>(
  [nameColumn, column('Created At', 'date', creationTimestampDescription)],
  (o) => [o.metadata.name ?? '', o.metadata.creationTimestamp ?? ''],
);

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  includeObject: IncludeObject;
  /** Leave columnDefinitions out (null): every watch event after the first. */
  noHeaders: boolean;
}

/** metav1.TableOptions from the query: includeObject=None|Metadata|Object (Metadata if absent). */
export function parseTableOptions(q: Query): TableOptions {
  const v = one(q, 'includeObject') ?? '';
  if (v !== '' && v !== 'None' && v !== 'Metadata' && v !== 'Object')
    throw badRequest(`unrecognized includeObject value: ${JSON.stringify(v)}`);
  return { includeObject: v === '' ? 'Metadata' : v, noHeaders: false };
}

export interface TableContext extends TableOptions {
  /** meta.k8s.io version negotiated: the Table's and PartialObjectMetadata's apiVersion. */
  version: string;
  now: number;
  /** apiVersion/kind a full object must carry when includeObject=Object. */
  typeMeta: { apiVersion: string; kind: string };
}

function rowObject(obj: KubeObject, ctx: TableContext): unknown {
  switch (ctx.includeObject) {
    case 'None':
      return undefined;
    case 'Object':
      // A client decodes the row's object on its own (kubectl's --sort-by); it needs the type.
      return {
        ...obj,
        apiVersion: obj.apiVersion ?? ctx.typeMeta.apiVersion,
        kind: obj.kind ?? ctx.typeMeta.kind,
      };
    case 'Metadata':
      return partialObjectMetadata(obj, ctx.version);
  }
}

function toRow(p: TablePrinter, obj: KubeObject, ctx: TableContext): TableRow {
  const printed = p.print(obj, ctx.now);
  const row: TableRow = { cells: printed.cells };
  if (printed.conditions) row.conditions = printed.conditions;
  const o = rowObject(obj, ctx);
  if (o !== undefined) row.object = o;
  return row;
}

function newTable(p: TablePrinter, metadata: ListMeta, ctx: TableContext, rows: TableRow[]): Table {
  return {
    kind: 'Table',
    apiVersion: `${metaGroup}/${ctx.version}`,
    metadata,
    columnDefinitions: ctx.noHeaders ? null : p.columns.map((c) => ({ ...c })),
    rows,
  };
}

/** A one-row Table for a single object (get, and each watch event). */
export function objectTable(p: TablePrinter, obj: KubeObject, ctx: TableContext): Table {
  const meta: ListMeta = {};
  if (obj.metadata.resourceVersion) meta.resourceVersion = obj.metadata.resourceVersion;
  return newTable(p, meta, ctx, [toRow(p, obj, ctx)]);
}

/** A Table for a list page, carrying its resourceVersion and continue token. */
export function listTable(
  p: TablePrinter,
  list: { metadata?: ListMeta; items: KubeObject[] },
  ctx: TableContext,
): Table {
  const meta: ListMeta = {};
  const lm = list.metadata ?? {};
  if (lm.resourceVersion) meta.resourceVersion = lm.resourceVersion;
  if (lm.continue) meta.continue = lm.continue;
  if (lm.remainingItemCount !== undefined) meta.remainingItemCount = lm.remainingItemCount;
  return newTable(
    p,
    meta,
    ctx,
    list.items.map((o) => toRow(p, o, ctx)),
  );
}

/** An empty Table carrying a resourceVersion: a BOOKMARK for a Table watcher. */
export function bookmarkTable(p: TablePrinter, resourceVersion: string, ctx: TableContext): Table {
  return newTable(p, resourceVersion ? { resourceVersion } : {}, ctx, []);
}
