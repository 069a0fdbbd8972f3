import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the hand-written Circom template library. Resolved from the package root so it is found both from
 * src/ under tsx and from dist/ after the build (the .circom files stay in src/zkml/codegen/templates).
 */
export function templatesDir(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error('cannot find the zkinfer package root (package.json) above ' + fileURLToPath(import.meta.url));
    d = up;
  }
  return join(d, 'src', 'zkml', 'codegen', 'templates');
}
