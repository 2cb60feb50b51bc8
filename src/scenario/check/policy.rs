//! Validation of the `[policy]` table: country codes and region names, workload ids, the
//! provider-share cap. Region names are expanded through [`crate::policy::REGIONS`].

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use toml::Spanned;

use super::{Checker, WorkloadSpans, quoted};
use crate::error::suggest;
use crate::policy::{OpenWeights, Policy, REGIONS, region};
use crate::scenario::{Workload, raw};

impl Checker<'_> {
    /// The validated policy; its invalid entries are reported and left out.
    pub(super) fn policy(
        &mut self,
        raw: &raw::Policy,
        workloads: &[(Workload, WorkloadSpans)],
    ) -> Policy {
        let allowed_provider_countries = raw.allowed_provider_countries.as_ref().map(|list| {
            if list.get_ref().is_empty() {
                self.push(
                    list.span(),
                    "`allowed_provider_countries` is empty, so no provider is allowed".to_owned(),
                    "list the countries where requests may be processed, such as [\"US\", \"EU\"], or remove the key",
                );
            }
            self.countries("allowed_provider_countries", list.get_ref())
        });
        let blocked_provider_countries = raw
            .blocked_provider_countries
            .as_ref()
            .map(|list| self.countries("blocked_provider_countries", list))
            .unwrap_or_default();
        if let (Some(allowed), Some(blocked)) =
            (&allowed_provider_countries, &raw.blocked_provider_countries)
        {
            for entry in blocked {
                let codes = region(entry.get_ref())
                    .map_or_else(|| vec![entry.get_ref().as_str()], <[&str]>::to_vec);
                let both: Vec<&str> = codes.into_iter().filter(|c| allowed.contains(*c)).collect();
                if !both.is_empty() {
                    self.push(
                        entry.span(),
                        format!(
                            "{} both allowed and blocked",
                            if both.len() == 1 {
                                format!("`{}` is", both[0])
                            } else {
                                format!("{} are", quoted(both.into_iter()))
                            }
                        ),
                        "a country is either allowed or blocked; remove it from one list",
                    );
                }
            }
        }
        let blocked_origins = raw
            .blocked_origins
            .as_ref()
            .map(|list| self.countries("blocked_origins", list))
            .unwrap_or_default();
        let open_weights = self.open_weights(raw, workloads);
        let max_provider_share = raw.max_provider_share.as_ref().and_then(|cap| {
            let value = *cap.get_ref();
            if value > Decimal::ZERO && value <= Decimal::ONE {
                Some(value)
            } else {
                self.push(
                    cap.span(),
                    format!("`max_provider_share` must be above 0 and at most 1 (found {value})"),
                    "a fraction of a plan's token charges: 0.6 means no provider may take more than 60%",
                );
                None
            }
        });
        Policy {
            allowed_provider_countries,
            blocked_provider_countries,
            blocked_origins,
            open_weights,
            max_provider_share,
            no_retired_offers: raw.no_retired_offers.unwrap_or(false),
        }
    }

    /// Country codes (any two capital letters) and region names, expanded to codes.
    fn countries(&mut self, key: &str, list: &[Spanned<String>]) -> BTreeSet<String> {
        let mut codes = BTreeSet::new();
        for entry in list {
            let text = entry.get_ref();
            if let Some(countries) = region(text) {
                codes.extend(countries.iter().map(|c| (*c).to_owned()));
            } else if is_country_code(text) {
                codes.insert(text.clone());
            } else {
                let upper = text.to_ascii_uppercase();
                let regions = || REGIONS.iter().map(|(name, _)| *name);
                let hint = if region(&upper).is_some() || is_country_code(&upper) {
                    format!("codes and region names are written in capitals: `{upper}`")
                } else if let Some(best) = suggest(&upper, regions()) {
                    format!("did you mean `{best}`?")
                } else {
                    format!(
                        "use two-letter ISO 3166-1 codes such as `US` or `CN`, or a region: {}",
                        quoted(regions())
                    )
                };
                self.push(
                    entry.span(),
                    format!("`{key}` holds country codes and region names (found `{text}`)"),
                    hint,
                );
            }
        }
        codes
    }

    fn open_weights(
        &mut self,
        raw: &raw::Policy,
        workloads: &[(Workload, WorkloadSpans)],
    ) -> OpenWeights {
        let named = raw.open_weights_required_for.as_ref().map(|named| {
            if named.get_ref().is_empty() {
                self.push(
                    named.span(),
                    "`open_weights_required_for` lists no workloads".to_owned(),
                    "name the workloads that must run on open weights, or remove the key",
                );
            }
            let ids = || workloads.iter().map(|(w, _)| w.id.as_str());
            let mut set = BTreeSet::new();
            for entry in named.get_ref() {
                let id = entry.get_ref();
                if ids().any(|w| w == id) {
                    set.insert(id.clone());
                } else {
                    let hint = suggest(id, ids()).map_or_else(
                        || format!("the workloads are {}", quoted(ids())),
                        |best| format!("did you mean `{best}`?"),
                    );
                    self.push(entry.span(), format!("unknown workload `{id}`"), hint);
                }
            }
            (named.span(), set)
        });
        match (raw.open_weights_required.as_ref(), named) {
            (Some(all), Some((span, _))) => {
                self.push(
                    span,
                    "give `open_weights_required` or `open_weights_required_for`, not both"
                        .to_owned(),
                    if *all.get_ref() {
                        "`open_weights_required = true` already covers every workload"
                    } else {
                        "remove `open_weights_required = false`"
                    },
                );
                OpenWeights::NotRequired
            }
            (Some(all), None) if *all.get_ref() => OpenWeights::All,
            (_, None) => OpenWeights::NotRequired,
            (None, Some((_, set))) => OpenWeights::For(set),
        }
    }
}

/// Two capital ASCII letters: the shape of an ISO 3166-1 alpha-2 code. The list of codes is not
/// kept here, so a new country needs no release.
fn is_country_code(text: &str) -> bool {
    text.len() == 2 && text.bytes().all(|b| b.is_ascii_uppercase())
}
