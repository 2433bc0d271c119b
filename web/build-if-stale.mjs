#!/usr/bin/env node
// Runs before `npm start`: builds the web UI only when web/dist is missing or
// older than its sources, so a fresh clone serves the UI and a restart stays fast.
// Without vite (a production install without dev dependencies) it leaves
// whatever was built before and lets the server start anyway.
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const repo = dirname(web);
const index = join(web, 'dist', 'index.html');
// The UI also bundles a few pure modules from src/core.
const sources = [
  join(web, 'src'),
  join(web, 'public'),
  join(web, 'index.html'),
  join(web, 'vite.config.ts'),
  join(repo, 'src', 'core'),
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
if (builtAt > 0 && sources.every((source) => newestMtime(source) <= builtAt)) process.exit(0);

const vite = join(repo, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(vite)) {
  console.warn(
    builtAt > 0
      ? 'web: sources changed but vite is not installed; serving the previous build.'
      : 'web: the UI is not built and vite is not installed (npm ci installs it); the API still starts.',
  );
  process.exit(0);
}
console.log('web: building the UI (web/dist)…');
const result = spawnSync(process.execPath, [vite, 'build', web, '--logLevel', 'warn'], {
  stdio: 'inherit',
  cwd: repo,
});
process.exit(result.status ?? 1);
