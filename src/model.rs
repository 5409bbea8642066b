//! The vocabulary of the gate: products, viewers, frameworks, modes and decisions.

use serde::Serialize;

/// The host product. Both call their containers spaces (a Jira project is a space).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Product {
    Confluence,
    Jira,
}

impl Product {
    pub const NAMES: [&'static str; 2] = ["confluence", "jira"];
    pub fn from_index(i: usize) -> Product {
        if i == 1 {
            Product::Jira
        } else {
            Product::Confluence
        }
    }
    /// The product's display name, used in placeholder text.
    pub fn display_name(self) -> &'static str {
        match self {
            Product::Confluence => "Confluence",
            Product::Jira => "Jira",
        }
    }
    /// The guest mode a product uses when the host does not choose one:
    /// Confluence blocks guest UI (RFC-9), Jira lets guests in (RFC-112 as resolved).
    pub fn default_guest_mode(self) -> GuestMode {
        match self {
            Product::Confluence => GuestMode::BlockUi,
            Product::Jira => GuestMode::Allow,
        }
    }
}

/// Who is looking at the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ViewerType {
    /// A paid user.
    Licensed,
    /// A free single-space guest, bound to one space.
    Guest,
    /// Not logged in.
    Anonymous,
    /// A service-desk portal customer.
    Customer,
    /// Logged in without a product licence.
    Unlicensed,
}

impl ViewerType {
    pub const NAMES: [&'static str; 5] = ["licensed", "guest", "anonymous", "customer", "unlicensed"];
    pub const ALL: [ViewerType; 5] =
        [ViewerType::Licensed, ViewerType::Guest, ViewerType::Anonymous, ViewerType::Customer, ViewerType::Unlicensed];
    pub fn from_index(i: usize) -> ViewerType {
        Self::ALL.get(i).copied().unwrap_or(ViewerType::Anonymous)
    }
    pub fn name(self) -> &'static str {
        match self {
            ViewerType::Licensed => "licensed",
            ViewerType::Guest => "guest",
            ViewerType::Anonymous => "anonymous",
            ViewerType::Customer => "customer",
            ViewerType::Unlicensed => "unlicensed",
        }
    }
    /// Guests, anonymous viewers and portal customers are never admins of anything.
    pub fn can_be_admin(self) -> bool {
        matches!(self, ViewerType::Licensed | ViewerType::Unlicensed)
    }
}

/// The viewer of one decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub kind: ViewerType,
    pub account_id: Option<String>,
    /// The one space a guest may see.
    pub guest_space: Option<String>,
    pub site_admin: bool,
    pub product_admin: bool,
    pub space_admin: bool,
    /// `None`: unknown (conditions needing permissions are unknown). `Some([])`: none.
    pub permissions: Option<Vec<String>>,
}

impl Viewer {
    /// A viewer of this type with no admin rights and unknown permissions.
    pub fn new(kind: ViewerType) -> Viewer {
        Viewer {
            kind,
            account_id: None,
            guest_space: None,
            site_admin: false,
            product_admin: false,
            space_admin: false,
            permissions: None,
        }
    }
    pub fn is_site_admin(&self) -> bool {
        self.kind.can_be_admin() && self.site_admin
    }
    /// Product admin; a site admin administers every product.
    pub fn is_product_admin(&self) -> bool {
        self.kind.can_be_admin() && (self.product_admin || self.site_admin)
    }
    /// Space admin; product and site admins can administer every space.
    pub fn is_space_admin(&self) -> bool {
        self.kind.can_be_admin() && (self.space_admin || self.product_admin || self.site_admin)
    }
}

/// How an app is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Framework {
    Connect,
    Forge,
    /// An OAuth 2.0 (3LO) integration: it has no UI modules.
    OAuth3lo,
}

impl Framework {
    pub const NAMES: [&'static str; 3] = ["connect", "forge", "oauth3lo"];
    pub fn from_index(i: usize) -> Framework {
        match i {
            0 => Framework::Connect,
            1 => Framework::Forge,
            _ => Framework::OAuth3lo,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Framework::Connect => "connect",
            Framework::Forge => "forge",
            Framework::OAuth3lo => "oauth3lo",
        }
    }
    pub fn display_name(self) -> &'static str {
        match self {
            Framework::Connect => "Connect",
            Framework::Forge => "Forge",
            Framework::OAuth3lo => "OAuth 2.0 (3LO)",
        }
    }
}

/// How guests meet app UI modules listed in the guest catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GuestMode {
    /// Listed modules never render for guests (RFC-9).
    BlockUi,
    /// Listed modules render for guests only when the app allows guests.
    OptIn,
    /// Guests see modules like anyone else unless the app opts out (RFC-112 resolution).
    Allow,
}

impl GuestMode {
    pub const NAMES: [&'static str; 3] = ["block-ui", "opt-in", "allow"];
    pub fn from_index(i: usize) -> GuestMode {
        match i {
            0 => GuestMode::BlockUi,
            1 => GuestMode::OptIn,
            _ => GuestMode::Allow,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            GuestMode::BlockUi => "block-ui",
            GuestMode::OptIn => "opt-in",
            GuestMode::Allow => "allow",
        }
    }
}

/// What an unknown fact turns into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OnMissingFacts {
    Hide,
    Pending,
}

/// An app's or module's own word on guests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GuestAccess {
    Allow,
    Block,
}

/// What an admin policy does with apps in the spaces it covers (RFC-14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppAccess {
    AllowAll,
    BlockAll,
    BlockAllExcept,
    BlockOnly,
}

impl AppAccess {
    pub const NAMES: [&'static str; 4] = ["allow-all", "block-all", "block-all-except", "block-only"];
    pub fn from_index(i: usize) -> AppAccess {
        match i {
            0 => AppAccess::AllowAll,
            1 => AppAccess::BlockAll,
            2 => AppAccess::BlockAllExcept,
            _ => AppAccess::BlockOnly,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            AppAccess::AllowAll => "allow-all",
            AppAccess::BlockAll => "block-all",
            AppAccess::BlockAllExcept => "block-all-except",
            AppAccess::BlockOnly => "block-only",
        }
    }
}

/// What the host does with the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Render,
    Placeholder,
    Hide,
    Pending,
}

impl Outcome {
    /// In declaration order (`outcome as usize` indexes it).
    pub const ALL: [Outcome; 4] = [Outcome::Render, Outcome::Placeholder, Outcome::Hide, Outcome::Pending];
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Render => "render",
            Outcome::Placeholder => "placeholder",
            Outcome::Hide => "hide",
            Outcome::Pending => "pending",
        }
    }
}

/// Why: one stable code per precedence rule (spec section 3), plus `invalid-request`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    Allowed,
    AppNotInstalled,
    ModuleNotFound,
    NotAUiModule,
    AdminOnly,
    BlockedByPolicy,
    OutsideGuestSpace,
    GuestBlocked,
    UnlicensedAccess,
    ConditionsFalse,
    MissingFacts,
    /// The request itself could not be read; the module fails closed.
    InvalidRequest,
}

impl Reason {
    /// In declaration order (`reason as usize` indexes it).
    pub const ALL: [Reason; 12] = [
        Reason::Allowed,
        Reason::AppNotInstalled,
        Reason::ModuleNotFound,
        Reason::NotAUiModule,
        Reason::AdminOnly,
        Reason::BlockedByPolicy,
        Reason::OutsideGuestSpace,
        Reason::GuestBlocked,
        Reason::UnlicensedAccess,
        Reason::ConditionsFalse,
        Reason::MissingFacts,
        Reason::InvalidRequest,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Reason::Allowed => "allowed",
            Reason::AppNotInstalled => "app-not-installed",
            Reason::ModuleNotFound => "module-not-found",
            Reason::NotAUiModule => "not-a-ui-module",
            Reason::AdminOnly => "admin-only",
            Reason::BlockedByPolicy => "blocked-by-policy",
            Reason::OutsideGuestSpace => "outside-guest-space",
            Reason::GuestBlocked => "guest-blocked",
            Reason::UnlicensedAccess => "unlicensed-access",
            Reason::ConditionsFalse => "conditions-false",
            Reason::MissingFacts => "missing-facts",
            Reason::InvalidRequest => "invalid-request",
        }
    }
    pub fn from_code(code: &str) -> Option<Reason> {
        Self::ALL.iter().copied().find(|r| r.code() == code)
    }
}

/// The layer of the pipeline that made the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    Catalog,
    Policy,
    Guest,
    Licence,
    Conditions,
    /// The request could not be read.
    Input,
}

impl Layer {
    /// In declaration order (`layer as usize` indexes it).
    pub const ALL: [Layer; 6] =
        [Layer::Catalog, Layer::Policy, Layer::Guest, Layer::Licence, Layer::Conditions, Layer::Input];
    pub fn name(self) -> &'static str {
        match self {
            Layer::Catalog => "catalog",
            Layer::Policy => "policy",
            Layer::Guest => "guest",
            Layer::Licence => "licence",
            Layer::Conditions => "conditions",
            Layer::Input => "input",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_follow_declaration_order() {
        for (i, o) in Outcome::ALL.iter().enumerate() {
            assert_eq!(*o as usize, i);
        }
        for (i, r) in Reason::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i);
        }
        for (i, l) in Layer::ALL.iter().enumerate() {
            assert_eq!(*l as usize, i);
        }
    }
}
