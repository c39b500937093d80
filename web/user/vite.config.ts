import react from '@vitejs/plugin-react';
import { loadEnv } from 'vite';
import { defineConfig } from 'vitest/config';

// Customer app, served by support_server at `/`.
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  const target = env.VITE_SIGNALING_PROXY || 'http://localhost:8000';
  return {
    plugins: [react()],
    base: '/',
    server: {
      port: 4173,
      strictPort: true,
      proxy: {
        '/ws': { target, ws: true, changeOrigin: false },
        '/api': { target, changeOrigin: false },
      },
    },
    preview: { port: 4173 },
    // no source maps in production builds: the shipped code stays what the browser needs
    build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
    test: {
      environment: 'jsdom',
      setupFiles: ['../shared/src/testing/setup-tests.ts'],
      include: ['src/**/*.test.{ts,tsx}'],
      // user-event tests take seconds on a busy 2-core CI machine; 5 s timed them out
      testTimeout: 30_000,
    },
  };
});
