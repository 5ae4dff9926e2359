import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file sits one level below the package root both as src/paths.ts (under vitest) and as
// dist/paths.js (compiled), so the same relative step finds the package's views/ and public/.
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const viewsDir = resolve(packageRoot, 'views');
export const publicDir = resolve(packageRoot, 'public');
