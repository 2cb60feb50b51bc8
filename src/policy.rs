//! Policy: what a company allows its plans to do, checked against every plan of a `run`, and what
//! the policy costs (the cheapest plan against the cheapest compliant one).
//!
//! The scenario checker builds a [`Policy`] from the `[policy]` table (region names expanded
//! through [`REGIONS`]); this module only judges estimated plans against it. Pure: no files, no
//! printing, no rounding.

pub mod host;

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::engine::request::Overflow;
use crate::error::Error;
pub use crate::estimate::policy::{
    PolicyCheck, PolicyCost, Rule, Violation, YearDifference, violation_text,
};
use crate::estimate::{Estimate, PlanEstimate};
use crate::exposure::Exposure;
use crate::pricing::{Catalog, Weights};

/// Region names a policy may use for a list of countries, with their ISO 3166-1 alpha-2 codes.
/// The EU's 27 member states; the EEA adds Iceland, Liechtenstein and Norway.
pub const REGIONS: &[(&str, &[&str])] = &[
    (
        "EU",
        &[
            "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
            "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
        ],
    ),
    (
        "EEA",
        &[
            "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
            "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE",
            "SI", "SK",
        ],
    ),
];

/// The countries of a region name, if it is one.
#[must_use]
pub fn region(name: &str) -> Option<&'static [&'static str]> {
    REGIONS
        .iter()
        .find(|(region, _)| *region == name)
        .map(|(_, countries)| *countries)
}

/// Which workloads must run on open weights.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum OpenWeights {
    #[default]
    NotRequired,
    /// Every workload.
    All,
    /// These workloads, by id.
    For(BTreeSet<String>),
}

/// A validated `[policy]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `None` allows every country not blocked.
    pub(crate) allowed_provider_countries: Option<BTreeSet<String>>,
    pub(crate) blocked_provider_countries: BTreeSet<String>,
    pub(crate) blocked_origins: BTreeSet<String>,
    pub(crate) open_weights: OpenWeights,
    /// A fraction of the plan's token charges, above 0 and at most 1.
    pub(crate) max_provider_share: Option<Decimal>,
    pub(crate) no_retired_offers: bool,
}

/// Judges one plan, from its exposure. `last_day` is the horizon's last day: an offer retired
/// on or before it breaks `no_retired_offers`.
#[must_use]
pub fn check(
    policy: &Policy,
    catalog: &Catalog,
    exposure: &Exposure,
    last_day: Date,
) -> PolicyCheck {
    let mut violations = Vec::new();
    for route in &exposure.routes {
        let mut push = |rule, detail: String| {
            violations.push(Violation {
                rule,
                workload: Some(route.workload.clone()),
                offer: Some(route.offer.clone()),
                detail,
            });
        };
        let country = &route.provider_country;
        if let Some(allowed) = &policy.allowed_provider_countries
            && !allowed.contains(country)
        {
            push(
                Rule::AllowedProviderCountries,
                format!(
                    "processed by `{}` in {country}, which is not an allowed country",
                    route.provider
                ),
            );
        }
        if policy.blocked_provider_countries.contains(country) {
            push(
                Rule::BlockedProviderCountries,
                format!(
                    "processed by `{}` in {country}, a blocked country",
                    route.provider
                ),
            );
        }
        if policy.blocked_origins.contains(&route.origin) {
            push(
                Rule::BlockedOrigins,
                format!(
                    "`{}` is made in {}, a blocked origin",
                    route.model, route.origin
                ),
            );
        }
        let open_required = match &policy.open_weights {
            OpenWeights::NotRequired => false,
            OpenWeights::All => true,
            OpenWeights::For(workloads) => workloads.contains(&route.workload),
        };
        if open_required && route.weights == Weights::Closed {
            push(
                Rule::OpenWeightsRequired,
                format!("`{}` has closed weights", route.model),
            );
        }
        if policy.no_retired_offers
            && let Some(date) = catalog
                .offers
                .get(&route.offer)
                .and_then(|o| o.deprecated)
                .filter(|d| *d <= last_day)
        {
            push(
                Rule::NoRetiredOffers,
                format!("`{}` is retired on {date}, within the horizon", route.offer),
            );
        }
    }
    if let Some(cap) = policy.max_provider_share {
        for slice in &exposure.by_provider {
            if let Some(share) = slice.share.filter(|s| *s > cap) {
                violations.push(Violation {
                    rule: Rule::MaxProviderShare,
                    workload: None,
                    offer: None,
                    detail: format!(
                        "`{}` takes {} of the plan's token charges, above the cap of {}",
                        slice.id,
                        crate::money::format_percent(share * Decimal::ONE_HUNDRED),
                        crate::money::format_percent(cap * Decimal::ONE_HUNDRED),
                    ),
                });
            }
        }
    }
    PolicyCheck {
        compliant: violations.is_empty(),
        violations,
    }
}

/// The cost of the policy, from plans already judged against it; `None` if they were not (no
/// policy) or there are no plans.
///
/// # Errors
/// [`Overflow`] if a difference leaves the decimal range.
pub fn cost(plans: &[PlanEstimate]) -> Result<Option<PolicyCost>, Overflow> {
    if plans.iter().any(|p| p.policy.is_none()) {
        return Ok(None);
    }
    let Some(cheapest) = cheapest_of(plans.iter()) else {
        return Ok(None);
    };
    let compliant = cheapest_of(
        plans
            .iter()
            .filter(|p| p.policy.as_ref().is_some_and(|c| c.compliant)),
    );
    let mut difference_by_year = Vec::new();
    let mut difference = None;
    if let Some(compliant) = compliant {
        difference = Some(
            compliant
                .total_cost
                .checked_sub(cheapest.total_cost)
                .ok_or(Overflow)?,
        );
        for (year, own) in cheapest.years.iter().zip(&compliant.years) {
            difference_by_year.push(YearDifference {
                year: year.year,
                start: year.start,
                months: year.months,
                cheapest_cost: year.cost,
                cheapest_compliant_cost: own.cost,
                difference: own.cost.checked_sub(year.cost).ok_or(Overflow)?,
            });
        }
    }
    Ok(Some(PolicyCost {
        cheapest: cheapest.id.clone(),
        cheapest_compliant: compliant.map(|p| p.id.clone()),
        difference,
        difference_by_year,
    }))
}

/// For `run --strict-policy`: an error listing every violation of every plan, or naming the
/// scenarios without a policy to enforce.
///
/// # Errors
/// [`Error::Policy`] when a plan breaks its scenario's policy or a scenario has none.
pub fn strict(estimates: &[Estimate]) -> Result<(), Error> {
    let without: Vec<&str> = estimates
        .iter()
        .filter(|e| e.policy_cost.is_none())
        .map(|e| e.scenario.path.as_str())
        .collect();
    if !without.is_empty() {
        return Err(Error::Policy {
            message: format!(
                "`--strict-policy` is given, but {} no `[policy]` table",
                match without.as_slice() {
                    [one] => format!("`{one}` has"),
                    many => format!(
                        "{} have",
                        many.iter()
                            .map(|p| format!("`{p}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            ),
            hint: "add a `[policy]` table stating what the plans must respect, or drop `--strict-policy`".to_owned(),
        });
    }
    let mut lines = Vec::new();
    for estimate in estimates {
        for plan in &estimate.plans {
            for violation in plan.policy.iter().flat_map(|c| &c.violations) {
                lines.push(format!(
                    "  {}: {}",
                    estimate.scenario.path,
                    violation_text(&plan.id, violation)
                ));
            }
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    let count = lines.len();
    Err(Error::Policy {
        message: format!(
            "{count} policy {}:\n{}",
            if count == 1 { "violation" } else { "violations" },
            lines.join("\n")
        ),
        hint: "change the plans or the `[policy]` table; run without `--strict-policy` for the whole report".to_owned(),
    })
}

/// The plan with the lowest total cost; the first on a tie.
fn cheapest_of<'a>(plans: impl Iterator<Item = &'a PlanEstimate>) -> Option<&'a PlanEstimate> {
    plans.fold(None, |best: Option<&PlanEstimate>, plan| match best {
        Some(best) if best.total_cost <= plan.total_cost => Some(best),
        _ => Some(plan),
    })
}

#[cfg(test)]
mod tests;
