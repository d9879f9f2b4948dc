/**
 * The apimachinery types with an OpenAPI form of their own: resource.Quantity,
 * intstr.IntOrString and runtime.RawExtension. Fields holding the first two are recognised by
 * their zod schemas (libs/api meta/quantity.ts, meta/intOrString.ts), so the catalogue never
 * names them; RawExtension is named where a field embeds an arbitrary object.
 *
 * Hand-written, in our own words; see catalogue.ts for what belongs here and how to extend it.
 */
import type { GoTypeDefinitions } from './catalogue';
import { definitions } from './catalogue';

export const apimachinery: GoTypeDefinitions = {
  ...definitions('resource', {
    Quantity: {
      description:
        'An amount with an optional suffix: binary `Ki`, `Mi`, `Gi`... (powers of 1024), decimal `k`, `M`, `G`... (powers of 1000), `m` for thousandths, or an exponent such as `1e3`. For example `500m` CPU or `128Mi` of memory; the server stores it in a canonical form.',
      schema: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    },
  }),
  ...definitions('intstr', {
    IntOrString: {
      description:
        'Either a whole number or a string: a port number or a port name, a count or a percentage such as `25%`.',
      schema: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
    },
  }),
  ...definitions('runtime', {
    RawExtension: {
      description:
        'A complete object of any kind, embedded as it is, with its own apiVersion and kind.',
      schema: { type: 'object' },
    },
  }),
};
