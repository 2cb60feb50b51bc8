//! `costcalc cheapest`: for each workload, the cheapest offer or self-hosted deployment that can
//! take its requests (its largest prompt fits, everything they carry is priced, its currency has
//! a rate) and meets the scenario's `[policy]`, with the reasons each cheaper one was ruled out;
//! then those choices as one plan, estimated by the engine and compared with the scenario's.
//!
//! A workload's `candidates` limit the search to offers good enough for it; without them any
//! model may be chosen, and the report says that quality is not considered. An API offer is
//! priced as a route there would be (its requests over the horizon times its average request);
//! a deployment by capacity, for the workload alone. The policy's cap on a provider's share is a
//! rule on a whole plan: the assembled plan is judged against it like any other.

use rust_decimal::Decimal;

use crate::calendar::Date;
use crate::engine::{self, request::Overflow};
use crate::error::Error;
use crate::estimate::cheapest::{
    Cheapest, Choice, PlanComparison, Reason, RuledOut, WorkloadChoice,
};
use crate::policy::host::{Host, broken};
use crate::pricing::{Catalog, Target};
use crate::progress::{Progress, Silent};
use crate::scenario::{Plan, Route, Scenario, Workload, unpriced};

/// One offer or deployment judged for one workload.
struct Judged {
    offer: String,
    provider: String,
    self_hosted: bool,
    cost: Option<Decimal>,
    reasons: Vec<Reason>,
}

/// Finds the cheapest way to serve each workload.
///
/// # Errors
/// [`Error::Overflow`] if a cost leaves the decimal range.
pub fn cheapest(
    catalog: &Catalog,
    scenario: &Scenario,
    options: &engine::Options,
) -> Result<Cheapest, Error> {
    cheapest_observed(catalog, scenario, options, &Silent)
}

/// [`cheapest`], telling `progress` of each workload judged against the catalog (every offer
/// priced, every deployment estimated alone), after the scenario's own estimate.
///
/// # Errors
/// As [`cheapest`].
pub fn cheapest_observed(
    catalog: &Catalog,
    scenario: &Scenario,
    options: &engine::Options,
    progress: &dyn Progress,
) -> Result<Cheapest, Error> {
    let answer = cheapest_with(catalog, scenario, *options, progress);
    progress.finish();
    answer
}

fn cheapest_with(
    catalog: &Catalog,
    scenario: &Scenario,
    options: engine::Options,
    progress: &dyn Progress,
) -> Result<Cheapest, Error> {
    let options = &options;
    progress.start("workloads", u64::try_from(scenario.workloads.len()).ok());
    let before = engine::estimate(catalog, scenario, options)?;
    let end = before.scenario.end;
    let last_day = Date::new(
        end.year(),
        end.month(),
        u8::try_from(end.days()).unwrap_or(28),
    )
    .unwrap_or_else(|| end.first_day());
    let mut workloads = Vec::with_capacity(scenario.workloads.len());
    let mut routes = Vec::with_capacity(scenario.workloads.len());
    for (index, workload) in scenario.workloads.iter().enumerate() {
        let requests = (
            before.scenario.workloads[index].requests,
            before.scenario.workloads[index].months.as_slice(),
        );
        let judged = judge(
            catalog, scenario, *options, index, workload, requests, last_day,
        )
        .map_err(|Overflow| Error::Overflow {
            what: format!(
                "the cost of workload `{}` at the catalog's offers",
                workload.id
            ),
        })?;
        let choice = choose(workload, judged);
        progress.advance(1);
        if let Some(chosen) = &choice.choice {
            routes.push(Route {
                workload: index,
                offer: chosen.offer.clone(),
                share: crate::money::Share::ONE,
                fallback: Vec::new(),
                from: None,
                until: None,
            });
        }
        workloads.push(choice);
    }
    let (plan_cost, plan_compliant) = if routes.len() == scenario.workloads.len() {
        let mut assembled = scenario.clone();
        assembled.plans = vec![Plan {
            id: "cheapest".to_owned(),
            name: "The cheapest choices".to_owned(),
            description: None,
            baseline: true,
            one_time_cost: Decimal::ZERO,
            monthly_fixed_cost: Decimal::ZERO,
            routes,
        }];
        let estimate = engine::estimate(catalog, &assembled, options)?;
        let plan = &estimate.plans[0];
        (
            Some(plan.total_cost),
            plan.policy.as_ref().map(|p| p.compliant),
        )
    } else {
        (None, None)
    };
    let plans = before
        .plans
        .iter()
        .map(|p| {
            Ok(PlanComparison {
                plan: p.id.clone(),
                name: p.name.clone(),
                total_cost: p.total_cost,
                above_cheapest: plan_cost
                    .map(|c| {
                        p.total_cost.checked_sub(c).ok_or(Error::Overflow {
                            what: format!("the cost of plan `{}` above the cheapest", p.id),
                        })
                    })
                    .transpose()?,
                compliant: p.policy.as_ref().map(|c| c.compliant),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Cheapest {
        scenario: scenario.name.clone(),
        path: scenario.path.clone(),
        currency: scenario.currency.clone(),
        start: scenario.start,
        end,
        policy: scenario.policy.is_some(),
        quality_considered: scenario.workloads.iter().all(|w| !w.candidates.is_empty()),
        workloads,
        plan_cost,
        plan_compliant,
        plans,
    })
}

/// The cheapest of the judged that takes the workload, and the cheaper ones ruled out.
fn choose(workload: &Workload, mut judged: Vec<Judged>) -> WorkloadChoice {
    judged.sort_by(|a, b| {
        (a.cost.is_none(), a.cost, &a.offer).cmp(&(b.cost.is_none(), b.cost, &b.offer))
    });
    let first = |self_hosted_only: bool| {
        judged
            .iter()
            .find(|j| {
                j.reasons.is_empty() && j.cost.is_some() && (!self_hosted_only || j.self_hosted)
            })
            .map(|j| Choice {
                offer: j.offer.clone(),
                provider: j.provider.clone(),
                cost: j.cost.unwrap_or_default(),
            })
    };
    let choice = first(false);
    let self_hosted = first(true);
    let ruled_out = judged
        .iter()
        .filter(|j| !j.reasons.is_empty())
        .filter(|j| match (&choice, j.cost) {
            (Some(choice), Some(cost)) => cost < choice.cost,
            (None, Some(_)) => true,
            // Unpriceable: worth a word only where the user named it.
            (_, None) => !workload.candidates.is_empty(),
        })
        .map(|j| RuledOut {
            offer: j.offer.clone(),
            cost: j.cost,
            reasons: j.reasons.clone(),
        })
        .collect();
    WorkloadChoice {
        workload: workload.id.clone(),
        candidates_only: !workload.candidates.is_empty(),
        choice,
        self_hosted,
        ruled_out,
    }
}

/// Every offer and deployment considered for a workload: its candidates, or the whole catalog.
fn judge(
    catalog: &Catalog,
    scenario: &Scenario,
    options: engine::Options,
    index: usize,
    workload: &Workload,
    (requests, month_requests): (Decimal, &[Decimal]),
    last_day: Date,
) -> Result<Vec<Judged>, Overflow> {
    let names: Vec<String> = if workload.candidates.is_empty() {
        catalog
            .offers()
            .map(|o| o.id.clone())
            .chain(catalog.deployments.keys().cloned())
            .collect()
    } else {
        workload.candidates.clone()
    };
    let largest = workload.largest_prompt();
    let mut judged = Vec::with_capacity(names.len());
    for name in names {
        let Ok(target) = catalog.target(&name) else {
            continue;
        };
        let host = Host::of(catalog, target);
        let mut reasons = Vec::new();
        if let Some(policy) = &scenario.policy {
            for (rule, detail) in broken(policy, &workload.id, &host, last_day) {
                reasons.push(Reason::Policy {
                    rule: rule.key().to_owned(),
                    detail,
                });
            }
        }
        let limit = match target {
            Target::Api(offer) => offer.input_limit(catalog),
            Target::SelfHosted(d) => catalog.model(&d.model).and_then(|m| m.context_window),
        };
        if let (Some(limit), Some(largest)) = (limit, largest)
            && largest > Decimal::from(limit)
        {
            reasons.push(Reason::TooLong {
                prompt_tokens: largest,
                limit,
            });
        }
        let cost = match target {
            Target::Api(offer) => {
                if let Some(date) = offer.deprecated.filter(|d| *d <= last_day) {
                    reasons.push(Reason::Retired {
                        date: date.to_string(),
                    });
                }
                if let Some(component) = unpriced(offer, workload) {
                    reasons.push(Reason::Unpriced {
                        component: component.key().to_owned(),
                    });
                    None
                } else if let Some(rate) = rate(scenario, &offer.currency)
                    && !(offer.changes().is_empty() && scenario.trends.is_empty())
                {
                    // Its price changes inside the horizon: priced month by month.
                    let months: Vec<_> = scenario.months().collect();
                    engine::cost_over_months(
                        (catalog, scenario),
                        offer,
                        workload,
                        rate,
                        (
                            &months,
                            engine::Requests {
                                months: month_requests,
                                total: None,
                            },
                            Decimal::ONE,
                        ),
                        &mut engine::RequestPrices::default(),
                    )?
                } else if let Some(rate) = rate(scenario, &offer.currency) {
                    engine::request_cost(offer, workload, rate)?
                        .map(|per_request| requests.checked_mul(per_request).ok_or(Overflow))
                        .transpose()?
                } else {
                    reasons.push(Reason::NoRate {
                        currency: offer.currency.clone(),
                    });
                    None
                }
            }
            Target::SelfHosted(deployment) => {
                if workload.carries(crate::component::Component::WebSearch) {
                    reasons.push(Reason::Unpriced {
                        component: "web_search".to_owned(),
                    });
                    None
                } else {
                    self_hosted_cost(catalog, scenario, options, index, deployment, &mut reasons)
                }
            }
        };
        judged.push(Judged {
            offer: name,
            provider: host.provider.to_owned(),
            self_hosted: matches!(target, Target::SelfHosted(_)),
            cost,
            reasons,
        });
    }
    Ok(judged)
}

fn rate(scenario: &Scenario, currency: &str) -> Option<Decimal> {
    if currency == scenario.currency {
        Some(Decimal::ONE)
    } else {
        scenario.rates.get(currency).map(|r| r.rate)
    }
}

/// A deployment's cost for one workload alone, by the engine; `None` (with a reason) where its
/// GPUs are priced in a currency without a rate, or the engine cannot size it.
fn self_hosted_cost(
    catalog: &Catalog,
    scenario: &Scenario,
    options: engine::Options,
    index: usize,
    deployment: &crate::pricing::Deployment,
    reasons: &mut Vec<Reason>,
) -> Option<Decimal> {
    let gpu_offer = catalog.gpu_offer(&deployment.gpu_offer)?;
    if rate(scenario, &gpu_offer.currency).is_none() {
        reasons.push(Reason::NoRate {
            currency: gpu_offer.currency.clone(),
        });
        return None;
    }
    let mut alone = scenario.clone();
    alone.plans = vec![Plan {
        id: "alone".to_owned(),
        name: "alone".to_owned(),
        description: None,
        baseline: true,
        one_time_cost: Decimal::ZERO,
        monthly_fixed_cost: Decimal::ZERO,
        routes: vec![Route {
            workload: index,
            offer: deployment.id.clone(),
            share: crate::money::Share::ONE,
            fallback: Vec::new(),
            from: None,
            until: None,
        }],
    }];
    engine::estimate(catalog, &alone, &options)
        .ok()
        .map(|e| e.plans[0].total_cost)
}

#[cfg(test)]
mod tests;
