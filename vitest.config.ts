import { defineConfig } from 'vitest/config';

// One suite, two backends: TEST_DATABASE_URL / TEST_REDIS_URL switch it to PostgreSQL + Redis.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
