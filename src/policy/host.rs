//! The policy's rules on one host of one workload, before any plan routes to it: where
//! `costcalc stress` may move a lost route, and which offers `costcalc cheapest` may suggest.
//! The cap on a provider's share is a rule on a whole plan and is not judged here.

use crate::calendar::Date;
use crate::pricing::{Catalog, Target, Weights};

use super::{OpenWeights, Policy, Rule};

/// Who serves an offer or a deployment: the provider that bills (a deployment's GPU vendor),
/// its country, and the model's origin and weights.
#[derive(Debug, Clone, Copy)]
pub struct Host<'a> {
    pub provider: &'a str,
    pub country: &'a str,
    pub model: &'a str,
    pub origin: &'a str,
    pub weights: Weights,
    /// When the offer is retired; `None` for a deployment or an offer with no date.
    pub retired: Option<Date>,
}

impl<'a> Host<'a> {
    /// Who serves `target`.
    ///
    /// # Panics
    /// Only on a bug: a target of a validated catalog names a known model, provider and GPU offer.
    #[must_use]
    pub fn of(catalog: &'a Catalog, target: Target<'a>) -> Host<'a> {
        let (model, provider, retired) = match target {
            Target::Api(offer) => (
                offer.model.as_str(),
                offer.provider.as_str(),
                offer.deprecated,
            ),
            Target::SelfHosted(deployment) => {
                let gpu_offer = catalog
                    .gpu_offer(&deployment.gpu_offer)
                    .expect("a validated deployment names a known GPU offer");
                (deployment.model.as_str(), gpu_offer.provider.as_str(), None)
            }
        };
        let found = catalog
            .model(model)
            .expect("a validated offer names a known model");
        let country = catalog
            .provider(provider)
            .expect("a validated offer names a known provider")
            .country
            .as_str();
        Host {
            provider,
            country,
            model,
            origin: &found.origin,
            weights: found.weights,
            retired,
        }
    }
}

/// Each rule of `policy` that sending `workload` to `host` would break, with a reason for
/// people, in the order of [`Rule`]. `last_day` is the horizon's last day.
#[must_use]
pub fn broken(
    policy: &Policy,
    workload: &str,
    host: &Host<'_>,
    last_day: Date,
) -> Vec<(Rule, String)> {
    let mut broken = Vec::new();
    if let Some(allowed) = &policy.allowed_provider_countries
        && !allowed.contains(host.country)
    {
        broken.push((
            Rule::AllowedProviderCountries,
            format!(
                "processed by `{}` in {}, which is not an allowed country",
                host.provider, host.country
            ),
        ));
    }
    if policy.blocked_provider_countries.contains(host.country) {
        broken.push((
            Rule::BlockedProviderCountries,
            format!(
                "processed by `{}` in {}, a blocked country",
                host.provider, host.country
            ),
        ));
    }
    if policy.blocked_origins.contains(host.origin) {
        broken.push((
            Rule::BlockedOrigins,
            format!(
                "`{}` is made in {}, a blocked origin",
                host.model, host.origin
            ),
        ));
    }
    let open_required = match &policy.open_weights {
        OpenWeights::NotRequired => false,
        OpenWeights::All => true,
        OpenWeights::For(workloads) => workloads.contains(workload),
    };
    if open_required && host.weights == Weights::Closed {
        broken.push((
            Rule::OpenWeightsRequired,
            format!("`{}` has closed weights", host.model),
        ));
    }
    if policy.no_retired_offers
        && let Some(date) = host.retired.filter(|d| *d <= last_day)
    {
        broken.push((
            Rule::NoRetiredOffers,
            format!("retired on {date}, within the horizon"),
        ));
    }
    broken
}
