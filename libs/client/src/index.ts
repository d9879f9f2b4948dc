/** @kubeling/client — placeholder; see docs/protocol.md. */
export {};
