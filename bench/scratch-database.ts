import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface Scratch {
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh database on the given server for one benchmark run, dropped afterwards. */
export async function scratchDatabase(adminUrl: string, prefix: string): Promise<Scratch> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
