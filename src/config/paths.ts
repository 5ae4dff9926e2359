import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file sits two levels below the project root both as src/config/paths.ts and as
// dist/config/paths.js,
// so the same relative step finds views/ and public/ whether the app runs compiled or under vitest.
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const viewsDir = resolve(projectRoot, 'views');
export const publicDir = resolve(projectRoot, 'public');
