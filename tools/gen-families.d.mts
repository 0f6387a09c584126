// Types of tools/gen-families.mjs (plain JavaScript, since tools/build.mjs runs it under node).
export function familiesSource(root?: string): string;
export function genFamilies(root?: string): boolean;
