//! A self-hosted deployment within one plan: the demand of every route sent to it, sized and
//! priced month by month ([`capacity`]), its cost then shared among the routes by their tokens.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::capacity::{self, Operation, Replica};
use super::request::{Overflow, add, div, mul};
use super::{Demand as WorkloadDemand, rate_of};
use crate::calendar::YearMonth;
use crate::component::Component;
use crate::estimate::{
    CapacityShare, DeploymentEstimate, DeploymentMonth, PricedBy, Quantities, RequestCost,
    RouteEstimate, RouteMonth, WorkloadEstimate,
};
use crate::money::TOKENS_PER_MTOK;
use crate::pricing::{Catalog, Deployment};
use crate::scenario::{Route, Scenario, Workload};

/// The demand on one deployment, gathered route by route.
pub(super) struct Fleet<'a> {
    pub(super) deployment: &'a Deployment,
    months: Vec<capacity::Demand>,
    /// Whether any route sends traffic in each month; a month without is not rented at all.
    active: Vec<bool>,
    /// Each route's place in the plan's workload list, and its tokens in each month.
    routes: Vec<((usize, usize), Vec<Decimal>)>,
}

impl<'a> Fleet<'a> {
    pub(super) fn new(deployment: &'a Deployment, months: usize) -> Self {
        Self {
            deployment,
            months: vec![capacity::Demand::default(); months],
            active: vec![false; months],
            routes: Vec::new(),
        }
    }

    /// Adds a route's demand and returns its estimate with tokens but no cost yet, and its tokens.
    pub(super) fn add(
        &mut self,
        workload: &Workload,
        route: &Route,
        demand: &WorkloadDemand,
        (months, keep_months): (&[YearMonth], bool),
        position: (usize, usize),
    ) -> Result<(RouteEstimate, Decimal), Overflow> {
        // The average request over the size classes. Every generated token is decoded; prompt
        // tokens are prefilled except prompt-cache hits, assumed to skip prefill (the engine
        // keeps the prefix's cache). Quantities stay uncached: there is no per-token discount.
        let mut quantities = Quantities::default();
        for size in &workload.sizes {
            let weight = size.share.get();
            for (component, quantity) in [
                (Component::Input, size.input_tokens),
                (Component::AudioInput, size.audio_input_tokens),
                (Component::ImageInput, size.image_input_tokens),
                (Component::Output, size.output_tokens),
                (Component::Reasoning, size.reasoning_tokens),
                (Component::AudioOutput, size.audio_output_tokens),
            ] {
                quantities[component] = add(quantities[component], mul(quantity, weight)?)?;
            }
        }
        quantities[Component::Request] = Decimal::ONE;
        let sum = |keep: fn(Component) -> bool| {
            quantities
                .iter()
                .filter(|(c, _)| keep(*c))
                .try_fold(Decimal::ZERO, |total, (_, q)| add(total, *q))
        };
        let input = sum(Component::in_prompt)?;
        let decoded = sum(Component::generated)?;
        let cached = add(
            mul(quantities[Component::Input], workload.cache_hit.get())?,
            mul(
                quantities[Component::AudioInput],
                workload.audio_cache_hit.get(),
            )?,
        )?;
        let prefilled = input - cached;
        let per_request_tokens = add(input, decoded)?;
        let mut route_months = Vec::with_capacity(if keep_months { months.len() } else { 0 });
        let mut route_tokens = Vec::with_capacity(months.len());
        for (((month, requests), fleet), active) in months
            .iter()
            .zip(&demand.months)
            .zip(&mut self.months)
            .zip(&mut self.active)
        {
            let requests = if route.active(*month) {
                *active = true;
                mul(*requests, route.share.get())?
            } else {
                Decimal::ZERO
            };
            let month_input = mul(requests, input)?;
            let month_output = mul(requests, decoded)?;
            let month_prefill = mul(requests, prefilled)?;
            fleet.input_tokens = add(fleet.input_tokens, month_input)?;
            fleet.output_tokens = add(fleet.output_tokens, month_output)?;
            fleet.prefill_tokens = add(fleet.prefill_tokens, month_prefill)?;
            fleet.peak_prefill_tokens = add(
                fleet.peak_prefill_tokens,
                mul(month_prefill, workload.peak_to_average)?,
            )?;
            fleet.peak_output_tokens = add(
                fleet.peak_output_tokens,
                mul(month_output, workload.peak_to_average)?,
            )?;
            route_tokens.push(add(month_input, month_output)?);
            if keep_months {
                route_months.push(RouteMonth {
                    month: *month,
                    requests,
                    cost: Decimal::ZERO,
                    capacity: None,
                });
            }
        }
        self.routes.push((position, route_tokens));
        let requests = if route.always() {
            mul(demand.total, route.share.get())?
        } else {
            route_months
                .iter()
                .try_fold(Decimal::ZERO, |sum, m| add(sum, m.requests))?
        };
        let estimate = RouteEstimate {
            offer: self.deployment.id.clone(),
            priced_by: PricedBy::Capacity,
            model: self.deployment.model.clone(),
            provider: "self-hosted".to_owned(),
            share: route.share,
            currency: String::new(),
            exchange_rate: Decimal::ONE,
            per_request: RequestCost {
                quantities,
                ..RequestCost::default()
            },
            requests,
            cost: Decimal::ZERO,
            months: crate::estimate::RouteMonths::kept(route_months),
        };
        Ok((estimate, mul(requests, per_request_tokens)?))
    }

    /// Sizes and prices every month, shares each month's cost among the routes by their tokens
    /// (the last route takes the remainder, so the shares add up exactly), and adds it to the
    /// plan's monthly token charges. The GPU hours and GPU cost are shared by the same
    /// fractions; the operations cost is the rest of each share, so a route-month's GPU and
    /// operations costs add up exactly to its cost. Routes name the GPU's provider.
    pub(super) fn price(
        self,
        catalog: &Catalog,
        scenario: &Scenario,
        months: &[YearMonth],
        workloads: &mut [WorkloadEstimate],
        monthly_usage: &mut [Decimal],
    ) -> Result<DeploymentEstimate, Overflow> {
        let deployment = self.deployment;
        let gpu_offer = catalog
            .gpu_offer(&deployment.gpu_offer)
            .expect("a validated deployment names a known GPU offer");
        let per_gpu_hour = mul(
            gpu_offer.per_gpu_hour,
            rate_of(scenario, &gpu_offer.currency),
        )?;
        let replica = Replica {
            prefill_tokens_per_second: deployment.prefill_tokens_per_second,
            decode_tokens_per_second: deployment.decode_tokens_per_second,
            gpus: deployment.gpus_per_replica,
            per_gpu_hour,
        };
        let hosting = &scenario.self_hosting;
        let operation = Operation {
            utilization: hosting.target_utilization.get(),
            capacity: hosting.capacity,
            peak_hours_per_day: hosting.peak_hours_per_day,
        };
        for ((w, r), _) in &self.routes {
            workloads[*w].routes[*r]
                .provider
                .clone_from(&gpu_offer.provider);
        }
        let mut estimate_months = Vec::with_capacity(months.len());
        let mut total_cost = Decimal::ZERO;
        let mut total_tokens = Decimal::ZERO;
        for (index, (month, demand)) in months.iter().zip(&self.months).enumerate() {
            // A month before the deployment takes traffic, or after it stops, rents nothing.
            let (sizing, cost) = if self.active[index] {
                let sizing = capacity::size(demand, &replica, &operation, month.days())?;
                let cost = add(sizing.gpu_cost, hosting.ops_cost_per_month)?;
                (sizing, cost)
            } else {
                (idle(), Decimal::ZERO)
            };
            let tokens = add(demand.input_tokens, demand.output_tokens)?;
            self.share(index, tokens, cost, &sizing, workloads)?;
            monthly_usage[index] = add(monthly_usage[index], cost)?;
            total_cost = add(total_cost, cost)?;
            total_tokens = add(total_tokens, tokens)?;
            estimate_months.push(DeploymentMonth {
                month: *month,
                replicas_peak: sizing.replicas_peak,
                replicas_off_peak: sizing.replicas_off_peak,
                gpu_hours: sizing.gpu_hours,
                utilization: sizing.utilization,
                tokens,
                cost,
            });
        }
        let cost_per_mtok = if total_tokens.is_zero() {
            None
        } else {
            Some(div(mul(total_cost, TOKENS_PER_MTOK)?, total_tokens)?)
        };
        let max_replicas = estimate_months
            .iter()
            .map(|m| m.replicas_peak)
            .max()
            .unwrap_or(1);
        Ok(DeploymentEstimate {
            id: deployment.id.clone(),
            model: deployment.model.clone(),
            gpu_offer: deployment.gpu_offer.clone(),
            gpu_name: catalog
                .gpu(&gpu_offer.gpu)
                .map_or_else(String::new, |g| g.name.clone()),
            gpu_memory_gb: catalog.gpu(&gpu_offer.gpu).map_or(0, |g| g.memory_gb),
            gpus_per_replica: deployment.gpus_per_replica,
            per_gpu_hour,
            gpu_price_as_of: gpu_offer.as_of,
            gpu_price_source: gpu_offer.source.clone(),
            engine: deployment.engine.clone(),
            prefill_tokens_per_second: deployment.prefill_tokens_per_second,
            decode_tokens_per_second: deployment.decode_tokens_per_second,
            target_utilization: operation.utilization,
            measured_with: deployment.measured_with.clone(),
            source: deployment.source.clone(),
            as_of: deployment.as_of,
            months: estimate_months,
            cost: total_cost,
            tokens: total_tokens,
            cost_per_mtok,
            max_replicas,
        })
    }

    /// Shares month `index`'s cost, GPU cost and GPU hours among the routes by their tokens; the
    /// last route takes what the others leave, so each adds up exactly. The operations cost of a
    /// route is the rest of its share of the cost.
    fn share(
        &self,
        index: usize,
        tokens: Decimal,
        cost: Decimal,
        sizing: &capacity::Sizing,
        workloads: &mut [WorkloadEstimate],
    ) -> Result<(), Overflow> {
        let mut left = cost;
        let mut left_gpu_cost = sizing.gpu_cost;
        let mut left_gpu_hours = sizing.gpu_hours;
        for (n, ((w, r), route_tokens)) in self.routes.iter().enumerate() {
            let part = |whole: Decimal, left: Decimal| {
                if n + 1 == self.routes.len() {
                    Ok(left)
                } else if tokens.is_zero() {
                    // No tokens to share by: split evenly.
                    div(whole, Decimal::from(self.routes.len()))
                } else {
                    mul(whole, div(route_tokens[index], tokens)?)
                }
            };
            let share = part(cost, left)?;
            let gpu_cost = part(sizing.gpu_cost, left_gpu_cost)?;
            let gpu_hours = part(sizing.gpu_hours, left_gpu_hours)?;
            left -= share;
            left_gpu_cost -= gpu_cost;
            left_gpu_hours -= gpu_hours;
            let route = &mut workloads[*w].routes[*r];
            // Routes keep their months only when a report shows them.
            if let Some(month) = route.months.kept.get_mut(index) {
                month.cost = share;
                month.capacity = Some(Box::new(CapacityShare {
                    gpu_hours,
                    gpu_cost,
                    ops_cost: share - gpu_cost,
                }));
            }
            route.cost = add(route.cost, share)?;
            workloads[*w].cost = add(workloads[*w].cost, share)?;
        }
        Ok(())
    }
}

/// A month in which nothing is rented.
fn idle() -> capacity::Sizing {
    capacity::Sizing {
        replicas_peak: 0,
        replicas_off_peak: 0,
        gpu_hours: Decimal::ZERO,
        utilization: Decimal::ZERO,
        gpu_cost: Decimal::ZERO,
    }
}

/// The deployments of one plan, by id.
pub(super) type Fleets<'a> = BTreeMap<&'a str, Fleet<'a>>;
