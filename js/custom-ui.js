// render-gate/custom-ui: gate an app's own sub-views from inside its Custom UI iframe.
//
//   import { gateForForge } from 'render-gate/custom-ui';
//   const ui = await gateForForge(config, await view.getContext());
//   if (ui.canRender('export-panel')) showExportPanel();
//
// The context object the app already receives (Forge `view.getContext()`, Connect
// `AP.context.getContext()`) is turned into a viewer and a space by the engine itself;
// a context that cannot tell who the viewer is throws (fail closed).
import init, { Gate, viewerFromConnectContext, viewerFromForgeContext } from '../pkg/render_gate.js';

/**
 * @typedef {import('../pkg/render_gate.js').GateConfig} GateConfig
 * @typedef {import('../pkg/render_gate.js').Decision} Decision
 * @typedef {import('../pkg/render_gate.js').HostView} HostView
 * @typedef {import('../pkg/render_gate.js').RequestContext} RequestContext
 * @typedef {{ app?: string, wasm?: import('../pkg/render_gate.js').InitInput }} CustomUiOptions
 * @typedef {{ context?: RequestContext, facts?: { [condition: string]: boolean }, explain?: boolean }} DecideExtra
 */

/** A gate bound to one app and to the viewer and space of a Custom UI context. */
export class CustomUiGate {
  /**
   * @param {Gate} gate
   * @param {HostView} host
   * @param {string} app
   */
  constructor(gate, host, app) {
    /** The compiled gate. */
    this.gate = gate;
    /** Who is looking, where, as read from the context. */
    this.host = host;
    /** The app key every decision is for. */
    this.app = app;
  }

  /**
   * The decision for one of the app's modules.
   * @param {string} module
   * @param {DecideExtra} [extra]
   * @returns {Decision}
   */
  decide(module, extra = {}) {
    return this.gate.decide({ viewer: this.host.viewer, space: this.host.space, app: this.app, module, ...extra });
  }

  /**
   * Whether the module may render: `true` only for the outcome `render`.
   * @param {string} module
   * @param {DecideExtra} [extra]
   * @returns {boolean}
   */
  canRender(module, extra) {
    return this.decide(module, extra).outcome === 'render';
  }

  /**
   * Placeholder markup for a blocked module (`""` when it is not a placeholder).
   * @param {string} module
   * @param {DecideExtra} [extra]
   * @returns {string}
   */
  placeholderHtml(module, extra) {
    return this.gate.placeholderHtml(this.decide(module, extra));
  }
}

/**
 * @param {GateConfig} config
 * @param {unknown} context
 * @param {(context: unknown) => HostView} read
 * @param {CustomUiOptions} options
 * @returns {Promise<CustomUiGate>}
 */
async function make(config, context, read, options) {
  await init(options.wasm === undefined ? undefined : { module_or_path: options.wasm });
  const host = read(context);
  const app = options.app ?? (config.apps.length === 1 ? config.apps[0].key : undefined);
  if (app === undefined) throw new Error('render-gate/custom-ui: pass `options.app` when the config lists several apps');
  return new CustomUiGate(new Gate(config), host, app);
}

/**
 * A gate for the viewer of a Forge Custom UI / UI Kit context (`view.getContext()`).
 * @param {GateConfig} config
 * @param {unknown} context
 * @param {CustomUiOptions} [options]
 * @returns {Promise<CustomUiGate>}
 */
export function gateForForge(config, context, options = {}) {
  return make(config, context, viewerFromForgeContext, options);
}

/**
 * A gate for the viewer of a Connect context (`AP.context.getContext()`).
 * @param {GateConfig} config
 * @param {unknown} context
 * @param {CustomUiOptions} [options]
 * @returns {Promise<CustomUiGate>}
 */
export function gateForConnect(config, context, options = {}) {
  return make(config, context, viewerFromConnectContext, options);
}
