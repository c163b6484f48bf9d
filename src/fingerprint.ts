// The top 23 bits of the 32-bit FNV-1a hash of a string's UTF-16 code
// units. The generator holds a long enum's values as these (see
// scripts/generate.ts), and the validation compares a value's fingerprint
// with them.
export function fingerprint(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 9;
}
