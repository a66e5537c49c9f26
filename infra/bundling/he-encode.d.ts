export function encode(text: unknown): string;
export function decode(): never;
declare const he: { encode: typeof encode; decode: typeof decode; version: string };
export default he;
