// The binary cache stand-in: what the cluster's attic serves to substituters, on loopback.
export {
  startBinaryCache,
  type BinaryCacheOptions,
  type BinaryCacheRequest,
  type RunningBinaryCache,
} from './binary-cache-server';
export { parseNarInfo, type NarInfo } from './narinfo';
export { toNixBase32 } from './nix-base32';
