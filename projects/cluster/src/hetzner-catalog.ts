// What Hetzner Cloud offers, as far as a config can name it. Checked before any API call so a
// typo fails in milliseconds with the allowed values, not minutes later as a 422.

/** Locations and the network zone each belongs to; a private network spans one zone. */
export const LOCATION_ZONES = {
  fsn1: 'eu-central',
  nbg1: 'eu-central',
  hel1: 'eu-central',
  ash: 'us-east',
  hil: 'us-west',
  sin: 'ap-southeast',
} as const;
export type Location = keyof typeof LOCATION_ZONES;
export const LOCATIONS = Object.keys(LOCATION_ZONES) as [Location, ...Location[]];

/**
 * The German and Finnish sites: the only ones that sell Arm (CAX) and the cost-optimised CX lines;
 * elsewhere Hetzner answers a create with 422 invalid_input "unsupported location for server type".
 * The CPX and CCX lines are modelled as sold in every location. Hetzner's own answer is per type in
 * `GET /server_types` (`locations`); update this table when it changes.
 */
const EU_ONLY = ['fsn1', 'nbg1', 'hel1'] as const satisfies readonly Location[];
const EVERYWHERE = LOCATIONS;

export interface ServerTypeOffer {
  architecture: 'x86' | 'arm';
  /** vCPUs and memory as Hetzner publishes them (`cores`, `memory` in `/server_types`). */
  cores: number;
  memoryGb: number;
  /** The local disk in GB, as Hetzner publishes it: what the hot storage tier shares with the OS. */
  diskGb: number;
  /** The locations where Hetzner sells the type: what `/server_types` lists under `locations` and `prices`. */
  locations: readonly Location[];
}

/**
 * The server types a config may name and where each is sold. This is the one table of it: validation
 * refuses a type outside its locations, and the sandbox's `/server_types` answer and server create
 * read the same entries, so the local Hetzner cannot sell what the real one refuses.
 */
export const SERVER_TYPE_OFFERS = {
  cx22: { architecture: 'x86', cores: 2, memoryGb: 4, diskGb: 40, locations: EU_ONLY },
  cx32: { architecture: 'x86', cores: 4, memoryGb: 8, diskGb: 80, locations: EU_ONLY },
  cx42: { architecture: 'x86', cores: 8, memoryGb: 16, diskGb: 160, locations: EU_ONLY },
  cx52: { architecture: 'x86', cores: 16, memoryGb: 32, diskGb: 320, locations: EU_ONLY },
  cx23: { architecture: 'x86', cores: 2, memoryGb: 4, diskGb: 40, locations: EU_ONLY },
  cx33: { architecture: 'x86', cores: 4, memoryGb: 8, diskGb: 80, locations: EU_ONLY },
  cx43: { architecture: 'x86', cores: 8, memoryGb: 16, diskGb: 160, locations: EU_ONLY },
  cx53: { architecture: 'x86', cores: 16, memoryGb: 32, diskGb: 320, locations: EU_ONLY },
  cpx11: { architecture: 'x86', cores: 2, memoryGb: 2, diskGb: 40, locations: EVERYWHERE },
  cpx21: { architecture: 'x86', cores: 3, memoryGb: 4, diskGb: 80, locations: EVERYWHERE },
  cpx31: { architecture: 'x86', cores: 4, memoryGb: 8, diskGb: 160, locations: EVERYWHERE },
  cpx41: { architecture: 'x86', cores: 8, memoryGb: 16, diskGb: 240, locations: EVERYWHERE },
  cpx51: { architecture: 'x86', cores: 16, memoryGb: 32, diskGb: 360, locations: EVERYWHERE },
  cpx12: { architecture: 'x86', cores: 1, memoryGb: 2, diskGb: 40, locations: EVERYWHERE },
  cpx22: { architecture: 'x86', cores: 2, memoryGb: 4, diskGb: 80, locations: EVERYWHERE },
  cpx32: { architecture: 'x86', cores: 4, memoryGb: 8, diskGb: 160, locations: EVERYWHERE },
  cpx42: { architecture: 'x86', cores: 8, memoryGb: 16, diskGb: 320, locations: EVERYWHERE },
  cpx52: { architecture: 'x86', cores: 12, memoryGb: 24, diskGb: 480, locations: EVERYWHERE },
  cpx62: { architecture: 'x86', cores: 16, memoryGb: 32, diskGb: 640, locations: EVERYWHERE },
  ccx13: { architecture: 'x86', cores: 2, memoryGb: 8, diskGb: 80, locations: EVERYWHERE },
  ccx23: { architecture: 'x86', cores: 4, memoryGb: 16, diskGb: 160, locations: EVERYWHERE },
  ccx33: { architecture: 'x86', cores: 8, memoryGb: 32, diskGb: 240, locations: EVERYWHERE },
  ccx43: { architecture: 'x86', cores: 16, memoryGb: 64, diskGb: 360, locations: EVERYWHERE },
  ccx53: { architecture: 'x86', cores: 32, memoryGb: 128, diskGb: 600, locations: EVERYWHERE },
  ccx63: { architecture: 'x86', cores: 48, memoryGb: 192, diskGb: 960, locations: EVERYWHERE },
  cax11: { architecture: 'arm', cores: 2, memoryGb: 4, diskGb: 40, locations: EU_ONLY },
  cax21: { architecture: 'arm', cores: 4, memoryGb: 8, diskGb: 80, locations: EU_ONLY },
  cax31: { architecture: 'arm', cores: 8, memoryGb: 16, diskGb: 160, locations: EU_ONLY },
  cax41: { architecture: 'arm', cores: 16, memoryGb: 32, diskGb: 320, locations: EU_ONLY },
} as const satisfies Record<string, ServerTypeOffer>;

export type ServerType = keyof typeof SERVER_TYPE_OFFERS;
/** Server types Hetzner Cloud sells (shared x86, shared AMD, dedicated AMD, Arm). */
export const SERVER_TYPES = Object.keys(SERVER_TYPE_OFFERS) as [ServerType, ...ServerType[]];

/** Whether Hetzner sells `type` in `location`. */
export function isSoldIn(type: ServerType, location: string): boolean {
  return (SERVER_TYPE_OFFERS[type].locations as readonly string[]).includes(location);
}

export const NETWORK_ZONES = ['eu-central', 'us-east', 'us-west', 'ap-southeast'] as const;
export type NetworkZone = (typeof NETWORK_ZONES)[number];

/** Hetzner's limits that shape a plan. */
export const LIMITS = {
  serversPerSpreadGroup: 10,
  serversPerNetwork: 100,
  firewallsPerServer: 5,
  rulesPerFirewall: 50,
  /** Volumes attached to one server at a time. */
  volumesPerServer: 16,
  volumeMinGb: 10,
  volumeMaxGb: 10240,
  labelValueMax: 63,
  resourceNameMax: 63,
} as const;

/** Why `count` volumes cannot all hang on one server, or undefined when they can: one rule for validation and infra:check. */
export function volumesPerServerProblem(count: number): string | undefined {
  if (count <= LIMITS.volumesPerServer) return undefined;
  return `${count} volumes on one server; Hetzner attaches at most ${LIMITS.volumesPerServer} to a server`;
}
