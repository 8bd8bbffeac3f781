import { cpSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * `pnpm --filter @tas/control-plane build`: the control plane for production, run by plain
 * `node dist/server.js` (no tsx). First-party code and the workspace packages (which export
 * TypeScript source) are bundled; every npm dependency stays external and is loaded from
 * node_modules at run time, so native ones (sharp, @resvg/resvg-js, @node-rs/argon2) and
 * packages that read their own files (pdfkit, @fontsource/*) work as installed. The Drizzle
 * migrations are copied beside the bundle: dist/ is the deployable unit with node_modules.
 */
const ROOT = import.meta.dirname;
const OUT = join(ROOT, 'dist');
const MIGRATIONS_SOURCE = resolve(ROOT, '../drizzle');

// database.ts finds the migrations relative to its own source file (src/db -> ../../../drizzle);
// in the bundle every module shares dist/*.js's URL, so the folder is dist/drizzle instead.
const MIGRATIONS_URL = "new URL('../../../drizzle', import.meta.url)";
const migrationsBesideBundle: Plugin = {
  name: 'migrations-beside-bundle',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]db[\\/]database\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(MIGRATIONS_URL))
        throw new Error(`${args.path} no longer says ${MIGRATIONS_URL}: update esbuild.config.ts`);
      return {
        contents: source.replace(MIGRATIONS_URL, "new URL('./drizzle', import.meta.url)"),
        loader: 'ts',
      };
    });
  },
};

const started = Date.now();
rmSync(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    server: join(ROOT, 'src/server.ts'),
    // Operators' commands (docs/deploy.md): `node dist/ledger.js sync` and so on.
    ledger: join(ROOT, 'src/cli/ledger.ts'),
    quarantine: join(ROOT, 'src/cli/quarantine.ts'),
    resync: join(ROOT, 'src/cli/resync.ts'),
    partitions: join(ROOT, 'src/cli/partitions.ts'),
    privacy: join(ROOT, 'src/cli/privacy.ts'),
    users: join(ROOT, 'src/cli/users.ts'),
  },
  outdir: OUT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  // Every npm dependency of the control plane stays external; @tas/shared is workspace source.
  external: Object.keys(
    (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
      .dependencies,
  )
    .filter((name) => !name.startsWith('@tas/'))
    .flatMap((name) => [name, `${name}/*`]),
  plugins: [migrationsBesideBundle],
});
cpSync(MIGRATIONS_SOURCE, join(OUT, 'drizzle'), { recursive: true });

const sizes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith('.js'))
  .map(([file, output]) => `${file.replace(`${dirname(OUT)}/`, '')} ${(output.bytes / 1024).toFixed(0)} KiB`);
console.log(
  `control plane built in ${Date.now() - started} ms: ${sizes.join(', ')}; migrations in dist/drizzle ` +
    `(${statSync(join(OUT, 'drizzle')).isDirectory() ? 'copied' : 'missing'})`,
);
