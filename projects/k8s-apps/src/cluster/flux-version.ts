/** Flux's pinned version: what `flux install --export` is asked for, and what the sandbox's stand-in records. */
export const FLUX_VERSION = 'v2.4.0';
