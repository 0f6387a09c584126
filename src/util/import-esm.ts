// import() of an ES module from outside the bundle (esbuild, jco-transpile, a plug-in, generated
// component glue). bin/sysemu runs the bundle through vm.Script (for its code cache), where a
// bare import() has no loader on Node 20 without flags; bin/sysemu lends its own, which is the
// real one. Run unbundled (tests), the plain import() is used.

type Importer = (specifier: string) => Promise<Record<string, unknown>>;

/** Imports an ES module by specifier or URL. */
export function importESM<T = Record<string, unknown>>(specifier: string): Promise<T> {
  const lent = (globalThis as { __sysemuImport?: Importer }).__sysemuImport;
  return (lent ? lent(specifier) : import(specifier)) as Promise<T>;
}
