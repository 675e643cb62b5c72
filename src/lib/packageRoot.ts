import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The folder holding package.json, profiles/ and seed/ — the same from src/ (tests) and dist/ (built). */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
