// The sandbox sells whatever a valid config may ask for, so no valid config fails in the default world.
import { describe, expect, it } from 'vitest';
import {
  LOCATION_ZONES,
  LOCATIONS as CLUSTER_LOCATIONS,
  SERVER_TYPES as CLUSTER_SERVER_TYPES,
} from '@personal-cloud/cluster';
import { DATACENTERS, LOCATIONS, SERVER_TYPES } from '../src/catalogue';

describe('catalogue', () => {
  it('has every server type the cluster model accepts', () => {
    expect(SERVER_TYPES.map((t) => t.name).sort()).toEqual([...CLUSTER_SERVER_TYPES].sort());
    expect(new Set(SERVER_TYPES.map((t) => t.id)).size).toBe(SERVER_TYPES.length);
  });

  it('has every location, in the same network zone, each with a datacenter', () => {
    expect(LOCATIONS.map((l) => l.name).sort()).toEqual([...CLUSTER_LOCATIONS].sort());
    for (const location of LOCATIONS) {
      expect(location.network_zone).toBe(LOCATION_ZONES[location.name as keyof typeof LOCATION_ZONES]);
      expect(DATACENTERS.some((d) => d.location === location.id)).toBe(true);
    }
  });
});
