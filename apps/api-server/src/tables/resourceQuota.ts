/**
 * ResourceQuotas (printResourceQuota): REQUEST and LIMIT list `resource: used/hard` for every
 * hard limit, sorted by name; `limits.*` resources go to LIMIT, everything else to REQUEST.
 */
import type { ResourceQuota } from '@kubeling/api';
import { canonicalQuantity } from '@kubeling/api';
import { since } from './duration';
import { ageColumn, column, nameColumn, printer } from './table';

export const resourceQuotaColumns = [
  nameColumn,
  ageColumn,
  column(
    'Request',
    'string',
    'Request represents a minimum amount of cpu/memory that a container may consume.',
  ),
  column(
    'Limit',
    'string',
    'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
  ),
];

/** Quantity.String() of a stored quantity; a missing one prints as zero. */
function quantity(text: string | undefined): string {
  if (text === undefined) return '0';
  try {
    return canonicalQuantity(text);
  } catch {
    return text;
  }
}

export function quotaColumns(rq: ResourceQuota): { request: string; limit: string } {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const pieces = name.split('.');
    const target = pieces.length > 1 && pieces[0] === 'limits' ? limit : request;
    target.push(`${name}: ${quantity(used[name])}/${quantity(hard[name])}`);
  }
  return { request: request.join(', '), limit: limit.join(', ') };
}

export const resourceQuotaPrinter = printer<ResourceQuota>(resourceQuotaColumns, (rq, now) => {
  const { request, limit } = quotaColumns(rq);
  return [rq.metadata.name ?? '', since(rq.metadata.creationTimestamp, now), request, limit];
});
