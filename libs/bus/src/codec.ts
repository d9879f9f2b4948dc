/** The JSON codec of every kubeling message: UTF-8 JSON, nothing else. */
import { badRequest, encodeJson } from '@kubeling/api';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** JSON.stringify, except that a list carrying its items' JSON (withEncodedItems) reuses it. */
export function encode(value: unknown): Uint8Array {
  return encoder.encode(encodeJson(value));
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
