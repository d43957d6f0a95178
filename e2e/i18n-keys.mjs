// Lists the English strings the web app translates (t('...') literals) and
// those missing from the Italian dictionary. Used by the e2e suite.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

const JS = join(ROOT, 'pb_public');

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'vendor' || f === 'lang' ? [] : files(p);
    return p.endsWith('.js') ? [p] : [];
  });
}

export function keys() {
  const out = new Set();
  const re = /\bt\(\s*(['"])((?:\\.|(?!\1).)*)\1/g;
  for (const f of files(JS)) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(re)) out.add(m[2].replace(/\\'/g, "'").replace(/\\"/g, '"'));
  }
  return [...out].sort();
}

export async function missing() {
  // lang/it.js is a browser module (export default {...}): read it as data
  const src = readFileSync(join(JS, 'js/lang/it.js'), 'utf8').replace(/^\s*export default/m, 'return');
  const it = new Function(src)();
  return keys().filter((k) => !(k in it));
}

if (process.argv[1] && process.argv[1].endsWith('i18n-keys.mjs')) {
  for (const k of await missing()) console.log(k);
}
