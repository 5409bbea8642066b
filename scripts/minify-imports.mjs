// Short import names for the wasm. wasm-bindgen names every import after its JS item plus a
// hash (`__wbg_getAttribute_9987cb2a7a965e67`); about 70 of those barely compress and cost
// about 2 KB of the gzipped wasm. Like Emscripten's import minification, this renames each
// function import to a short name (with binaryen's own module API) and renames the matching
// key of the glue's import object. It runs before wasm-opt, which then lays the module out.
//
// Safety: every import must be a key of the glue's import object exactly once, or the build
// fails; a wasm-bindgen release that changes the glue's shape cannot ship a broken package.
import { readFileSync, writeFileSync } from 'node:fs';
import binaryen from 'binaryen';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** a, b, ..., Z, ab, bb, ... */
function shortName(i) {
  let name = '';
  let n = i;
  do {
    name += ALPHABET[n % ALPHABET.length];
    n = Math.floor(n / ALPHABET.length) - 1;
  } while (n >= 0);
  return name;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Renames the imports of `wasmPath` and the keys of `gluePath`'s import object, in place;
 * `features` are binaryen feature names (the module is written with exactly those).
 */
export function minifyImports(wasmPath, gluePath, features) {
  const mod = binaryen.readBinary(readFileSync(wasmPath));
  let glue = readFileSync(gluePath, 'utf8');
  try {
    mod.setFeatures(features.reduce((all, f) => {
      if (binaryen.Features[f] === undefined) throw new Error(`binaryen knows no feature ${f}`);
      return all | binaryen.Features[f];
    }, binaryen.Features.MVP));
    const imports = [];
    for (let i = 0; i < mod.getNumFunctions(); i++) {
      const f = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
      if (f.module) imports.push(f);
    }
    const taken = new Set(imports.map((f) => f.base));
    let next = 0;
    for (const f of imports) {
      let name;
      do name = shortName(next++);
      while (taken.has(name));
      // The key, as wasm-bindgen writes it: on its own line in the import object.
      const key = new RegExp(`^(\\s+)${escape(f.base)}(?=: function\\()`, 'gm');
      const hits = glue.match(key)?.length ?? 0;
      if (hits !== 1) throw new Error(`import ${f.base} is a key of the glue ${hits} times, not once`);
      glue = glue.replace(key, `$1${name}`);
      mod.removeFunction(f.name);
      mod.addFunctionImport(f.name, f.module, name, f.params, f.results);
    }
    if (!mod.validate()) throw new Error('the module does not validate after renaming its imports');
    writeFileSync(wasmPath, mod.emitBinary());
    writeFileSync(gluePath, glue);
    return imports.length;
  } finally {
    mod.dispose();
  }
}
