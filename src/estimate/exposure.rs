//! A plan's exposure as the report carries it: spend shares by provider, country, origin and
//! weights, the concentration figures, and each route's other hosts. Unrounded; a plan that
//! spends nothing has no shares (`None`).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::pricing::Weights;

/// Where one plan's token charges go.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Exposure {
    /// By the provider that bills: an API's provider, or the GPU vendor of a self-hosted
    /// deployment.
    pub by_provider: Vec<Slice>,
    /// By the country where requests are processed: the provider's, or the GPU vendor's.
    pub by_provider_country: Vec<Slice>,
    /// By the country of the model's maker.
    pub by_origin: Vec<Slice>,
    /// `open` and `closed`.
    pub by_weights: Vec<Slice>,
    /// Herfindahl-Hirschman index on provider shares in percent: 0 to 10,000.
    pub hhi: Option<Decimal>,
    /// The largest entry of `by_provider`, as a fraction of the spend.
    pub largest_provider_share: Option<Decimal>,
    /// Spend on open-weight models that another host also serves, as a fraction of the spend.
    pub portable_share: Option<Decimal>,
    /// Every route, in the plan's order, with the other hosts of its model.
    pub routes: Vec<RouteHosts>,
}

/// One group's spend: `share` is `cost` over the plan's token charges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slice {
    pub id: String,
    pub cost: Decimal,
    pub share: Option<Decimal>,
}

/// One route of a plan, who serves it, and who else could.
#[derive(Debug, Clone, Serialize)]
pub struct RouteHosts {
    pub workload: String,
    pub offer: String,
    pub model: String,
    /// The provider that bills: the GPU vendor for a self-hosted deployment.
    pub provider: String,
    pub provider_country: String,
    pub origin: String,
    pub weights: Weights,
    pub cost: Decimal,
    /// Open weights that at least one other host serves.
    pub portable: bool,
    /// Offers of the same model at other providers that accept the workload's largest request,
    /// and deployments of it on other GPU vendors, ordered by id.
    pub other_hosts: Vec<String>,
    /// The other API offer where the route's requests would cost least, priced as the engine
    /// prices the route; `None` without one. Deployments are priced by capacity, not by the
    /// request, so they count as hosts but are not compared here.
    pub cheapest_other_host: Option<OtherHost>,
    /// Other hosts priced in a currency the scenario has no exchange rate for, so not compared.
    pub unpriced: Vec<Unpriced>,
}

/// The route's requests at another offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherHost {
    pub offer: String,
    pub provider: String,
    pub provider_country: String,
    /// The route's requests over the horizon at this offer, in the report currency.
    pub cost: Decimal,
    /// `cost` minus the route's own cost: negative when the other host is cheaper.
    pub difference: Decimal,
}

/// Another host that cannot be compared without an exchange rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unpriced {
    pub offer: String,
    pub currency: String,
}
