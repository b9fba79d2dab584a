// A client bound to the world the environment selects, closed together with it.
import { HcloudClient, type HcloudClientOptions } from './hcloud/client';
import { openWorld, type World } from './world/world';

export async function withHcloud<T>(
  env: NodeJS.ProcessEnv,
  fn: (client: HcloudClient, world: World) => Promise<T>,
  options: Partial<HcloudClientOptions> = {},
): Promise<T> {
  const world = await openWorld(env);
  try {
    return await fn(new HcloudClient({ ...options, endpoint: world.endpoint, token: world.token }), world);
  } finally {
    await world.close();
  }
}
