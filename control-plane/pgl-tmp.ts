import { PGlite } from '@electric-sql/pglite';
import { connectPglite } from './src/db/database.ts';

let t = performance.now();
const h = await connectPglite('memory://');
console.log('create', performance.now() - t);
t = performance.now();
await h.migrate();
console.log('migrate', performance.now() - t);
t = performance.now();
const client = (h.db as unknown as { $client: PGlite }).$client;
const dump = await client.dumpDataDir('none');
console.log('dump', performance.now() - t, dump.size);
t = performance.now();
const c2 = await PGlite.create({ loadDataDir: dump });
console.log('load', performance.now() - t);
t = performance.now();
console.log((await c2.query('select count(*) from offers')).rows);
