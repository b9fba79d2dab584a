// What Hetzner Cloud offers, as far as a config can name it. Checked before any API call so a
// typo fails in milliseconds with the allowed values, not minutes later as a 422.

/** Server types Hetzner Cloud sells (shared x86, shared AMD, dedicated AMD, Arm). */
export const SERVER_TYPES = [
  'cx22', 'cx32', 'cx42', 'cx52',
  'cx23', 'cx33', 'cx43', 'cx53',
  'cpx11', 'cpx21', 'cpx31', 'cpx41', 'cpx51',
  'cpx12', 'cpx22', 'cpx32', 'cpx42', 'cpx52', 'cpx62',
  'ccx13', 'ccx23', 'ccx33', 'ccx43', 'ccx53', 'ccx63',
  'cax11', 'cax21', 'cax31', 'cax41',
] as const;
export type ServerType = (typeof SERVER_TYPES)[number];

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

export const NETWORK_ZONES = ['eu-central', 'us-east', 'us-west', 'ap-southeast'] as const;
export type NetworkZone = (typeof NETWORK_ZONES)[number];

/** Hetzner's limits that shape a plan. */
export const LIMITS = {
  serversPerSpreadGroup: 10,
  serversPerNetwork: 100,
  firewallsPerServer: 5,
  rulesPerFirewall: 50,
  volumeMinGb: 10,
  volumeMaxGb: 10240,
  labelValueMax: 63,
  resourceNameMax: 63,
} as const;

/** Each server type's local disk in GB, as Hetzner publishes it: what the hot storage tier shares with the OS. */
export const SERVER_TYPE_DISK_GB: Readonly<Record<ServerType, number>> = {
  cx22: 40, cx32: 80, cx42: 160, cx52: 320,
  cx23: 40, cx33: 80, cx43: 160, cx53: 320,
  cpx11: 40, cpx21: 80, cpx31: 160, cpx41: 240, cpx51: 360,
  cpx12: 40, cpx22: 80, cpx32: 160, cpx42: 320, cpx52: 480, cpx62: 640,
  ccx13: 80, ccx23: 160, ccx33: 240, ccx43: 360, ccx53: 600, ccx63: 960,
  cax11: 40, cax21: 80, cax31: 160, cax41: 320,
};
