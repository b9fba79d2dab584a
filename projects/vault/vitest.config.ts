import { projectTestConfig } from '../../vitest.project.ts';

export default projectTestConfig(import.meta.url, {
  include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  // Git in tests must see neither the developer's config nor their identity.
  setupFiles: ['./test/support/hermetic-git.ts'],
});
