/** The JSON codec of every kubeling message: UTF-8 JSON, nothing else. */
import { badRequest, encodeJsonBytes } from '@kubeling/api';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 JSON; a list carrying its items' JSON (withEncodedItems) has it copied, not re-serialized. */
export function encode(value: unknown): Uint8Array {
  return encodeJsonBytes(value);
}

/** Parses a payload; anything that is not UTF-8 JSON is a 400 (the peer sent garbage). */
export function decode(data: Uint8Array): unknown {
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    throw badRequest('message is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`message is not valid JSON: ${(e as Error).message}`);
  }
}
