/**
 * Server-side printing: `Accept` negotiation (JSON, YAML, and the meta.k8s.io conversions),
 * Tables with the upstream columns of every kind kubeling serves, PartialObjectMetadata.
 *
 *   const out = negotiateOutput(req.get('accept'), verb === 'watch');
 *   const conv = prepareConversion(out, { verb, group, resource, query, typeMeta, now });
 *   const body = conv ? convertBody(answer, conv) : answer;
 */
export { humanDuration, since } from './duration';
export { negotiateOutput, parseAccept, supportedMediaTypes, metaGroup } from './mediaType';
export type {
  AcceptClause,
  ConversionKind,
  ConversionTarget,
  OutputMediaType,
  Serializer,
} from './mediaType';
export { partialObjectMetadata, partialObjectMetadataList } from './partialObjectMetadata';
export type { PartialObjectMetadata, PartialObjectMetadataList } from './partialObjectMetadata';
export { hasPrinter, printerFor } from './printers';
export { bookmarkTable, defaultPrinter, listTable, objectTable, parseTableOptions } from './table';
export type {
  Cell,
  IncludeObject,
  Table,
  TableColumnDefinition,
  TableContext,
  TableOptions,
  TablePrinter,
  TableRow,
} from './table';
export { convertBody, prepareConversion, watchConverter } from './transform';
export type { Conversion, ConversionRequest } from './transform';
