// Fetches the mCODE 4.0.0 package from the npm registry with `npm pack`, checks
// it against the pinned SHA-512 and unpacks it into ig/. It is not an npm
// dependency because its package.json names FHIR packages (hl7.fhir.r4.core,
// hl7.fhir.us.core, ...) that the npm registry does not hold.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { name, version, integrity } = JSON.parse(readFileSync(join(here, 'ig.json'), 'utf8'));
const target = join(here, 'ig', `${name}-${version}`);
const marker = join(target, 'package', 'package.json');

if (existsSync(marker) && JSON.parse(readFileSync(marker, 'utf8')).version === version) {
  process.exit(0);
}
const download = join(here, 'ig', 'download');
rmSync(download, { recursive: true, force: true });
mkdirSync(download, { recursive: true });
const [packed] = JSON.parse(
  execFileSync('npm', ['pack', `${name}@${version}`, '--json', '--pack-destination', download], { encoding: 'utf8' })
);
const tarball = join(download, packed.filename);
const actual = 'sha512-' + createHash('sha512').update(readFileSync(tarball)).digest('base64');
if (actual !== integrity) {
  console.error(`${name}@${version}: integrity ${actual} does not match the pinned ${integrity}`);
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
execFileSync('tar', ['xzf', tarball, '-C', target]);
rmSync(download, { recursive: true, force: true });
console.log(`${name}@${version} unpacked into ${target}`);
