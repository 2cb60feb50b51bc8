//! The serde mirror of the parts of a `run --format json` report that a comparison needs.
//!
//! Unlike the TOML mirrors, these structs do not deny unknown fields: a report carries much
//! more than a comparison reads (exposure, policy, deployments), and it is costcalc's own
//! output, checked by its `schema_version` before it is read. Amounts are decimal strings, read
//! exactly. Nothing here computes; [`super::explain`] does.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

use crate::component::{Component, PerComponent};

/// Only the version, read first, so that a report of another shape is refused by its version
/// rather than by the first field that moved.
#[derive(Debug, Deserialize)]
pub struct Version {
    pub schema_version: Option<u32>,
}

/// A whole report: one entry per scenario it was run with.
#[derive(Debug, Deserialize)]
pub struct Document {
    pub scenarios: Vec<ScenarioReport>,
}

/// One scenario's estimate.
#[derive(Debug, Clone, Deserialize)]
pub struct ScenarioReport {
    pub scenario: ScenarioInfo,
    pub plans: Vec<Plan>,
    pub offers: Vec<Offer>,
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub start: String,
    pub months: u32,
    pub currency: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub baseline: bool,
    pub one_time_cost: Decimal,
    pub monthly_fixed_cost: Decimal,
    pub workloads: Vec<Workload>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Workload {
    pub id: String,
    pub routes: Vec<Route>,
}

/// How a route's cost arises, as the report says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PricedBy {
    Tokens,
    Capacity,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Route {
    pub offer: String,
    pub priced_by: PricedBy,
    pub share: Decimal,
    pub per_request: RequestCost,
    pub requests: Decimal,
    pub cost: Decimal,
    /// Left out of a report saved without `--detail months`; the comparison refuses it then.
    #[serde(default)]
    pub months: Vec<RouteMonth>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RequestCost {
    #[serde(deserialize_with = "per_component")]
    pub quantities: PerComponent<Decimal>,
    #[serde(deserialize_with = "per_component")]
    pub costs: PerComponent<Decimal>,
    pub total: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RouteMonth {
    pub requests: Decimal,
    pub cost: Decimal,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Offer {
    pub id: String,
    pub currency: String,
    /// Base prices in `currency`, `null` where the offer lists none.
    #[serde(deserialize_with = "per_component")]
    pub prices: PerComponent<Option<Decimal>>,
}

/// A note; only exchange rates are read, to put offers' prices in the report currency.
#[derive(Debug, Clone, Deserialize)]
pub struct Note {
    pub kind: String,
    pub currency: Option<String>,
    pub rate: Option<Decimal>,
}

/// A table of one value per component, from an object keyed by component key. A key that names
/// no component is an error (the report is of another version); a missing one is the default.
fn per_component<'de, D, T>(deserializer: D) -> Result<PerComponent<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    let map = BTreeMap::<String, T>::deserialize(deserializer)?;
    let mut table = PerComponent::<T>::from_fn(|_| T::default());
    for (key, value) in map {
        let component = Component::from_key(&key)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown component `{key}`")))?;
        table[component] = value;
    }
    Ok(table)
}
