// `npx nx run sandbox:serve`: the sandbox as a long-running service, configured by the environment.
import { sandboxOptionsFromEnv } from './options';
import { startSandbox } from './sandbox';

try {
  const sandbox = await startSandbox(sandboxOptionsFromEnv(process.env));
  console.log(`sandbox listening on ${sandbox.url}`);
  const stop = () => void sandbox.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(`sandbox: ${(error as Error).message}`);
  process.exit(1);
}
