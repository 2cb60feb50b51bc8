//! A plan judged against the scenario's `[policy]`, and what the policy costs, as the report
//! carries them. Unrounded.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::calendar::YearMonth;

/// A rule of the policy, named as its key in the `[policy]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    AllowedProviderCountries,
    BlockedProviderCountries,
    BlockedOrigins,
    OpenWeightsRequired,
    MaxProviderShare,
    NoRetiredOffers,
}

impl Rule {
    /// The rule's key in the `[policy]` table.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Rule::AllowedProviderCountries => "allowed_provider_countries",
            Rule::BlockedProviderCountries => "blocked_provider_countries",
            Rule::BlockedOrigins => "blocked_origins",
            Rule::OpenWeightsRequired => "open_weights_required",
            Rule::MaxProviderShare => "max_provider_share",
            Rule::NoRetiredOffers => "no_retired_offers",
        }
    }
}

/// One way a plan breaks the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub rule: Rule,
    /// The route's workload and offer; `None` for a rule on the whole plan (a provider's share).
    pub workload: Option<String>,
    pub offer: Option<String>,
    pub detail: String,
}

/// A plan judged against the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyCheck {
    pub compliant: bool,
    /// Route by route in the plan's order, then the rules on the whole plan.
    pub violations: Vec<Violation>,
}

/// What the policy costs: the cheapest plan over the horizon against the cheapest compliant one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyCost {
    /// The plan with the lowest total cost; the first in the scenario's order on a tie.
    pub cheapest: String,
    /// `None` when no plan complies.
    pub cheapest_compliant: Option<String>,
    /// The compliant plan's total minus the cheapest's; `None` when no plan complies.
    pub difference: Option<Decimal>,
    /// Year by year, as the plans' years; empty when no plan complies.
    pub difference_by_year: Vec<YearDifference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearDifference {
    pub year: u32,
    pub start: YearMonth,
    pub months: u32,
    pub cheapest_cost: Decimal,
    pub cheapest_compliant_cost: Decimal,
    /// `cheapest_compliant_cost - cheapest_cost`: what the policy costs that year.
    pub difference: Decimal,
}

/// One violation for people: `plan `x`, workload `w` at `o`: rule: detail`.
#[must_use]
pub fn violation_text(plan: &str, violation: &Violation) -> String {
    let place = match (&violation.workload, &violation.offer) {
        (Some(workload), Some(offer)) => {
            format!("plan `{plan}`, workload `{workload}` at `{offer}`")
        }
        (Some(workload), None) => format!("plan `{plan}`, workload `{workload}`"),
        _ => format!("plan `{plan}`"),
    };
    format!("{place}: {}: {}", violation.rule.key(), violation.detail)
}
