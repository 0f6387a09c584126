/** A patch that cannot be used: one readable message (clang's first errors with file:line). */
export class KmodError extends Error {}
