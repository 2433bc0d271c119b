import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Built with `vite build web` (root = this folder); the server serves web/dist
 * at /. In development (`vite web`) API calls go to a server on port 3000.
 */
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the served bundle: the sources are in the repository.
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // The UI imports pure rules from ../src/core (proration preview, error codes).
    fs: { allow: ['..'] },
    proxy: { '/v1': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' },
  },
});
