/** @kubeling/bus — placeholder; see docs/protocol.md. */
export {};
