// What a target started from the launcher's bundle (tools/nx-plugin/src/target-bundle.mjs) needs to
// know about it. esbuild's `define` sets PERSONAL_CLOUD_BUNDLED_LIBRARY there; run from source
// (tsx, vitest) nothing sets it.
declare const PERSONAL_CLOUD_BUNDLED_LIBRARY: string | undefined;

/** The URL of this library's entry in the bundle the running target was started from; undefined when run from source. */
export const bundledLibrary: string | undefined =
  typeof PERSONAL_CLOUD_BUNDLED_LIBRARY === 'string' ? PERSONAL_CLOUD_BUNDLED_LIBRARY : undefined;

let typeScriptLoader: Promise<void> | undefined;

/**
 * Lets this process import TypeScript at run time (a layer's key specs; the config's hooks compile
 * the config themselves). From source a loader runs already; a bundled target has none, and
 * registers tsx the first time it needs one (never at start: with tsx's hooks in place, loading the
 * bundle itself would cost 4× as much).
 */
export function ensureTypeScriptImports(): Promise<void> {
  if (bundledLibrary === undefined) return Promise.resolve();
  typeScriptLoader ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return typeScriptLoader;
}
