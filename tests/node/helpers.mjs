// Loads the built package once, synchronously, the way a Node user would.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as rg from '../../pkg/render_gate.js';

const wasm = readFileSync(fileURLToPath(new URL('../../pkg/render_gate_bg.wasm', import.meta.url)));
rg.initSync({ module: wasm });

export const { Gate, validate } = rg;
export default rg;
