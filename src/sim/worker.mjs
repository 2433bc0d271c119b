// A simulation worker thread: registers the TypeScript loader (as bin/connects.mjs does), then runs the shard.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
