//! TypeScript types of the JS API, emitted into the generated `render_gate.d.ts`.
//!
//! The inputs are read by the core's own readers (so that every problem is reported with
//! its path), which is why their types are declared here rather than derived.
//! `tests/types/usage.ts` type-checks a usage of them with `tsc --noEmit`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Any JSON value (descriptor contents, property values). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type Product = "confluence" | "jira";
export type GuestMode = "block-ui" | "opt-in" | "allow";
export type ViewerType = "licensed" | "guest" | "anonymous" | "customer" | "unlicensed";
export type Framework = "connect" | "forge" | "oauth3lo";
export type AppAccess = "allow-all" | "block-all" | "block-all-except" | "block-only";
export type Outcome = "render" | "placeholder" | "hide" | "pending";
export type ReasonCode =
  | "allowed" | "app-not-installed" | "module-not-found" | "not-a-ui-module" | "admin-only"
  | "blocked-by-policy" | "outside-guest-space" | "guest-blocked" | "unlicensed-access"
  | "conditions-false" | "missing-facts" | "invalid-request";
export type Layer = "catalog" | "policy" | "guest" | "licence" | "conditions" | "input";
/** Reasons whose placeholder text a host may override. */
export type MessageReason = "guest-blocked" | "blocked-by-policy";

/** A Connect condition: a leaf, or an `and` / `or` composite. */
export type ConnectCondition =
  | { condition: string; invert?: boolean; params?: { [name: string]: JsonValue } }
  | { and: ConnectCondition[] }
  | { or: ConnectCondition[] }
  | { type?: "AND" | "OR" | "and" | "or"; conditions: ConnectCondition[] };

export interface ConnectModule {
  key: string;
  /** An array means AND. */
  conditions?: ConnectCondition[];
  /** render-gate extension: this module's own word on guests. */
  allowGuests?: boolean;
  [field: string]: unknown;
}

/** A Connect app descriptor; only `modules` is read. */
export interface ConnectDescriptor {
  modules?: { [moduleType: string]: ConnectModule[] | ConnectModule };
  [field: string]: unknown;
}

/** Forge list form (RFC-112 examples): `[{ condition: "isJiraGuest", invert: true }]`. */
export type ForgeListCondition =
  | { condition: string; invert?: boolean; params?: { [name: string]: JsonValue } }
  | { and: ForgeDisplayConditions[] | ForgeConditionObject }
  | { or: ForgeDisplayConditions[] | ForgeConditionObject }
  | { not: ForgeDisplayConditions };

/** Forge object form: keys AND together; `and` / `or` / `not` nest; an array value matches any element. */
export interface ForgeConditionObject {
  and?: ForgeDisplayConditions[] | ForgeConditionObject;
  or?: ForgeDisplayConditions[] | ForgeConditionObject;
  not?: ForgeDisplayConditions;
  [condition: string]: JsonValue | ForgeDisplayConditions | ForgeDisplayConditions[] | undefined;
}

export type ForgeDisplayConditions = ForgeConditionObject | ForgeListCondition[];

export interface ForgeModule {
  key: string;
  displayConditions?: ForgeDisplayConditions;
  /** Viewer types allowed without a licence. */
  unlicensedAccess?: Array<"anonymous" | "customer" | "unlicensed">;
  /** render-gate extension: this module's own word on guests. */
  allowGuests?: boolean;
  [field: string]: unknown;
}

/** A Forge manifest as JSON; only `modules` is read. */
export interface ForgeManifest {
  modules?: { [moduleType: string]: ForgeModule[] };
  [field: string]: unknown;
}

export interface AppConfig {
  key: string;
  name: string;
  framework: Framework;
  guestAccess?: "allow" | "block";
  /** Connect apps only. */
  descriptor?: ConnectDescriptor;
  /** Forge apps only. */
  manifest?: ForgeManifest;
}

export interface PolicyConfig {
  id: string;
  name: string;
  spaces?: string[];
  /** Alias of `spaces`. */
  projects?: string[];
  appAccess: AppAccess;
  /** Required for `block-all-except` and `block-only`; not allowed otherwise. */
  apps?: string[];
}

export interface GateConfig {
  product: Product;
  /** Default: `block-ui` for Confluence, `allow` for Jira. */
  guestMode?: GuestMode;
  /** Default: `hide`. */
  onMissingFacts?: "hide" | "pending";
  /** Default: `en`; `de-CH` falls back to `de`, then `en`. */
  locale?: string;
  /** Placeholder text overrides: `{ locale: { reason: text } }`; `{app}`, `{product}`, `{policy}` are filled in. */
  messages?: { [locale: string]: Partial<Record<MessageReason, string>> };
  apps: AppConfig[];
  policies?: PolicyConfig[];
}

export interface Viewer {
  type: ViewerType;
  accountId?: string;
  /** The one space a guest may see. */
  guestSpace?: string;
  /** Alias of `guestSpace`. */
  guestProject?: string;
  siteAdmin?: boolean;
  productAdmin?: boolean;
  spaceAdmin?: boolean;
  /** Absent: unknown. Empty: none. */
  permissions?: string[];
}

export interface RequestContext {
  issueType?: string;
  issueKey?: string;
  projectType?: string;
  contentType?: string;
  /** `{ entity: { propertyKey: value } }` for entity property conditions. */
  properties?: { [entity: string]: { [propertyKey: string]: JsonValue } };
}

export interface DecisionRequest {
  viewer: Viewer;
  /** App key. */
  app: string;
  /** Module key. */
  module: string;
  /** Container key; absent for global and admin pages. */
  space?: string;
  /** Alias of `space`. */
  project?: string;
  context?: RequestContext;
  /** Values of conditions the host knows, by condition name. */
  facts?: { [condition: string]: boolean };
  /** Attach a `trace` to the decision. */
  explain?: boolean;
}

export interface Diagnostic {
  code: string;
  message: string;
  /** Where in the input, e.g. `apps[0].descriptor.modules.webItems[1].conditions[0]`. */
  path: string;
  help?: string;
}

export interface TraceStep {
  rule: number;
  layer: Layer;
  check: string;
  result: "pass" | "fail" | "unknown" | "skip";
  detail: string;
}

export interface TraceLeaf {
  path: string;
  condition: string;
  value: "true" | "false" | "unknown";
}

export interface Trace {
  steps: TraceStep[];
  conditions: TraceLeaf[];
  /** The smallest failing part of a false condition tree, in plain words. */
  whyNot?: string;
}

export interface Decision {
  outcome: Outcome;
  reason: ReasonCode;
  layer: Layer;
  /** Placeholder text (outcome `placeholder` only), in the configured locale. */
  message?: string;
  /** Id of the blocking policy. */
  policy?: string;
  /** Facts the host must supply (`missing-facts`). */
  missing?: string[];
  /** `false` for modules that draw no UI. */
  rendersUi?: false;
  /** What was wrong with the request (`invalid-request`). */
  errors?: Diagnostic[];
  trace?: Trace;
}

export interface ValidationResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export interface MacroRef {
  app: string;
  module: string;
}

export interface MountOptions {
  /** Who sees the placeholder's "Why?" disclosure. Default: `admins`. */
  why?: "admins" | "always" | "never";
}

export interface MountSummary {
  total: number;
  render: number;
  placeholder: number;
  hide: number;
  pending: number;
}

/** What a Custom UI context says about the viewer. */
export interface HostView {
  viewer: Viewer;
  space?: string;
  locale?: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "GateConfig")]
    pub type GateConfig;
    #[wasm_bindgen(typescript_type = "DecisionRequest")]
    pub type DecisionRequest;
    #[wasm_bindgen(typescript_type = "DecisionRequest[]")]
    pub type DecisionRequestArray;
    #[wasm_bindgen(typescript_type = "Decision")]
    pub type Decision;
    #[wasm_bindgen(typescript_type = "Decision[]")]
    pub type DecisionArray;
    #[wasm_bindgen(typescript_type = "Viewer")]
    pub type Viewer;
    #[wasm_bindgen(typescript_type = "MacroRef[]")]
    pub type MacroRefArray;
    #[wasm_bindgen(typescript_type = "Diagnostic[]")]
    pub type DiagnosticArray;
    #[wasm_bindgen(typescript_type = "ValidationResult")]
    pub type ValidationResult;
    #[wasm_bindgen(typescript_type = "MountOptions")]
    pub type MountOptions;
    #[wasm_bindgen(typescript_type = "MountSummary")]
    pub type MountSummary;
    #[wasm_bindgen(typescript_type = "HostView")]
    pub type HostViewJs;
    #[wasm_bindgen(typescript_type = "string | undefined")]
    pub type SpaceKey;
    #[wasm_bindgen(typescript_type = "string")]
    pub type RequiredSpaceKey;
}
