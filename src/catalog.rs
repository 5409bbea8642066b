//! The module catalog: what every Connect and Forge module type is, for the gate.
//!
//! One table row per module type answers the questions the pipeline asks: does it draw
//! UI, where does it live, who may open it, does it get a placeholder or vanish, and does
//! the guest mode gate it in each product (spec sections 2 and 4).

use crate::model::{Framework, Product};

/// What the host shows in place of a blocked module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Content-sized: a blocked module leaves a placeholder so readers know who blocked it.
    Slot,
    /// A fragment of chrome (item, section, action, dialog): a blocked module vanishes.
    Fragment,
}

/// Where a module renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Always inside a space: a request without a space lacks a fact.
    Space,
    /// Inside a space or in global chrome, depending on its location.
    Any,
    /// Outside any space: space policies never cover it.
    Global,
}

/// The admin right a module needs (rule 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admin {
    None,
    /// Site or product admin.
    Product,
    /// Space admin (product and site admins administer every space).
    Space,
}

/// One module type.
#[derive(Debug, PartialEq, Eq)]
pub struct ModuleType {
    pub name: &'static str,
    pub framework: Framework,
    pub confluence: bool,
    pub jira: bool,
    /// Draws UI in the host page. Webhooks, properties, triggers do not.
    pub ui: bool,
    pub shape: Shape,
    pub scope: Scope,
    pub admin: Admin,
    /// Gated by the guest mode in Confluence (RFC-9).
    pub guest_confluence: bool,
    /// Gated by the guest mode in Jira (RFC-112).
    pub guest_jira: bool,
    /// The product honours conditions on it (Connect macros, blueprints, webhooks do not).
    pub conditions: bool,
}

impl ModuleType {
    pub fn in_product(&self, product: Product) -> bool {
        match product {
            Product::Confluence => self.confluence,
            Product::Jira => self.jira,
        }
    }
    pub fn guest_gated(&self, product: Product) -> bool {
        match product {
            Product::Confluence => self.guest_confluence,
            Product::Jira => self.guest_jira,
        }
    }
    /// A macro, as listed in the macro browser.
    pub fn is_macro(&self) -> bool {
        matches!(self.name, "dynamicContentMacros" | "staticContentMacros" | "macro")
    }
}

use Admin as A;
use Framework::{Connect as CX, Forge as FG};
use Scope::{Any, Global, Space};
use Shape::{Fragment, Slot};

const C: (bool, bool) = (true, false);
const J: (bool, bool) = (false, true);
const CJ: (bool, bool) = (true, true);

/// Builds a row; `gate` is `(confluence, jira)` guest gating.
const fn row(
    name: &'static str,
    framework: Framework,
    products: (bool, bool),
    shape: Shape,
    scope: Scope,
    admin: Admin,
    gate: (bool, bool),
) -> ModuleType {
    ModuleType {
        name,
        framework,
        confluence: products.0,
        jira: products.1,
        ui: true,
        shape,
        scope,
        admin,
        guest_confluence: gate.0,
        guest_jira: gate.1,
        conditions: true,
    }
}

const fn no_conditions(mut m: ModuleType) -> ModuleType {
    m.conditions = false;
    m
}

/// A module type that draws nothing: it is never gated as UI (rule 2).
const fn data(name: &'static str, framework: Framework, products: (bool, bool)) -> ModuleType {
    let mut m = row(name, framework, products, Fragment, Any, A::None, (false, false));
    m.ui = false;
    m
}

const NO: (bool, bool) = (false, false);

/// Every module type the gate knows. Anything else is unknown and fails closed.
pub static MODULE_TYPES: &[ModuleType] = &[
    // Connect, Confluence content.
    no_conditions(row("dynamicContentMacros", CX, C, Slot, Space, A::None, C)),
    no_conditions(row("staticContentMacros", CX, C, Slot, Space, A::None, C)),
    row("contentBylineItems", CX, C, Fragment, Space, A::None, C),
    row("customContent", CX, CJ, Slot, Space, A::None, CJ),
    no_conditions(row("blueprints", CX, C, Fragment, Space, A::None, NO)),
    row("publishConditions", CX, C, Fragment, Space, A::None, NO),
    row("spaceToolsTabs", CX, C, Slot, Space, A::Space, NO),
    // Connect, both products.
    row("generalPages", CX, CJ, Slot, Global, A::None, CJ),
    row("webItems", CX, CJ, Fragment, Any, A::None, CJ),
    row("webPanels", CX, CJ, Fragment, Any, A::None, CJ),
    row("webSections", CX, CJ, Fragment, Any, A::None, CJ),
    row("dialogs", CX, CJ, Fragment, Any, A::None, CJ),
    row("adminPages", CX, CJ, Slot, Global, A::Product, NO),
    row("configurePage", CX, CJ, Slot, Global, A::Product, NO),
    row("postInstallPage", CX, CJ, Slot, Global, A::Product, NO),
    // Connect, Jira.
    row("jiraIssueGlances", CX, J, Slot, Space, A::None, NO),
    row("jiraProjectPages", CX, J, Slot, Space, A::None, NO),
    row("jiraIssueTabPanels", CX, J, Slot, Space, A::None, NO),
    row("jiraIssueContents", CX, J, Slot, Space, A::None, NO),
    row("jiraProjectAdminTabPanels", CX, J, Slot, Space, A::Space, NO),
    row("jiraDashboardItems", CX, J, Slot, Global, A::None, NO),
    // Connect, no UI.
    no_conditions(data("webhooks", CX, CJ)),
    data("contentProperties", CX, C),
    data("confluenceContentProperties", CX, C),
    data("jiraEntityProperties", CX, J),
    data("jiraWorkflowPostFunctions", CX, J),
    // Forge, Confluence.
    row("macro", FG, C, Slot, Space, A::None, C),
    row("confluence:contentBylineItem", FG, C, Fragment, Space, A::None, C),
    row("confluence:contentAction", FG, C, Fragment, Space, A::None, C),
    row("confluence:contextMenu", FG, C, Fragment, Space, A::None, C),
    row("confluence:customContent", FG, C, Slot, Space, A::None, C),
    row("confluence:spacePage", FG, C, Slot, Space, A::None, C),
    row("confluence:globalPage", FG, C, Slot, Global, A::None, C),
    row("confluence:homepageFeed", FG, C, Slot, Global, A::None, C),
    row("confluence:pageBanner", FG, C, Fragment, Space, A::None, C),
    row("confluence:spaceSettings", FG, C, Slot, Space, A::Space, NO),
    row("confluence:globalSettings", FG, C, Slot, Global, A::Product, NO),
    // Forge, Jira.
    row("jira:issuePanel", FG, J, Slot, Space, A::None, J),
    row("jira:issueGlance", FG, J, Slot, Space, A::None, J),
    row("jira:issueAction", FG, J, Fragment, Space, A::None, J),
    row("jira:issueContext", FG, J, Slot, Space, A::None, NO),
    row("jira:issueActivity", FG, J, Slot, Space, A::None, NO),
    row("jira:projectPage", FG, J, Slot, Space, A::None, J),
    row("jira:projectSettingsPage", FG, J, Slot, Space, A::Space, J),
    row("jira:globalPage", FG, J, Slot, Global, A::None, J),
    row("jira:customContent", FG, J, Slot, Space, A::None, J),
    row("jira:adminPage", FG, J, Slot, Global, A::Product, NO),
    row("jira:dashboardGadget", FG, J, Slot, Global, A::None, NO),
    row("jira:customField", FG, J, Fragment, Space, A::None, NO),
    // Forge, no UI.
    data("jira:issueViewBackgroundScript", FG, J),
    data("jira:entityProperty", FG, J),
    data("trigger", FG, CJ),
    data("webtrigger", FG, CJ),
    data("scheduledTrigger", FG, CJ),
    data("consumer", FG, CJ),
    data("function", FG, CJ),
    data("endpoint", FG, CJ),
];

/// The catalog row for a module type of `framework` in `product`.
pub fn lookup(framework: Framework, name: &str, product: Product) -> Option<&'static ModuleType> {
    MODULE_TYPES.iter().find(|m| m.framework == framework && m.name == name && m.in_product(product))
}

/// Whether the type exists for the framework in some other product (for a clearer lint).
pub fn other_product(framework: Framework, name: &str, product: Product) -> bool {
    MODULE_TYPES.iter().any(|m| m.framework == framework && m.name == name && !m.in_product(product))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_framework() {
        for (i, a) in MODULE_TYPES.iter().enumerate() {
            for b in &MODULE_TYPES[i + 1..] {
                assert!(!(a.name == b.name && a.framework == b.framework), "duplicate row {}", a.name);
            }
        }
    }

    #[test]
    fn guest_gating_only_on_ui_modules_of_the_product() {
        for m in MODULE_TYPES {
            if m.guest_confluence {
                assert!(m.ui && m.confluence, "{}", m.name);
            }
            if m.guest_jira {
                assert!(m.ui && m.jira, "{}", m.name);
            }
        }
    }
}
