// Writes docs/rules.md from the rule packs, or with --check fails when the checked-in file has drifted.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PACKS } from '../src/policy/packs/index.js';
import { rulesReference } from '../src/policy/reference.js';

const target = fileURLToPath(new URL('../../docs/rules.md', import.meta.url));
const text = rulesReference(PACKS);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as drift
  }
  if (current !== text) {
    console.error('docs/rules.md is out of date with the rule packs: run `npm run docs:rules` and commit it.');
    process.exit(1);
  }
  console.log('docs/rules.md matches the rule packs.');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
