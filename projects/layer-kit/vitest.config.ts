import { projectTestConfig } from '../../vitest.project.ts';

export default projectTestConfig(import.meta.url, {
  include: ['test/**/*.test.ts'],
});
