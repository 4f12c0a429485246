// Builds the dashboard tab into ../wwwroot/tab: two bundles (the page and the channel tab's
// configuration page), their stylesheet and the static HTML. Deterministic: the same sources and
// package-lock give the same bytes, so the committed bundle can be checked against its source.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'wwwroot', 'tab');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: { app: join(here, 'src', 'app.js'), config: join(here, 'src', 'config.js') },
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  legalComments: 'linked',
  charset: 'utf8',
  outdir: out,
  logLevel: 'warning',
});
await build({
  entryPoints: { app: join(here, 'src', 'app.css') },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: 'warning',
});
for (const file of ['index.html', 'config.html']) {
  cpSync(join(here, 'static', file), join(out, file));
}
