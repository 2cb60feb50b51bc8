//! Validation of the offers a scenario names besides its routes: a route's `fallback` list (where
//! its traffic goes if its provider is lost, for `costcalc stress`) and a workload's
//! `candidates` (the offers good enough for it, for `costcalc cheapest`).
//!
//! Fallbacks are not chained: when a fallback is lost as well, the next one in the route's own
//! list is tried. A list that comes back to the route's own offer is therefore a loop, and an
//! offer named twice is tried twice; both are refused.

use std::collections::BTreeSet;

use toml::Spanned;

use super::{Checker, RouteContext, WorkloadSpans};
use crate::pricing::Catalog;
use crate::scenario::{Workload, raw};

impl Checker<'_> {
    /// The valid fallbacks of a route, in order; every problem with the others is reported at
    /// the entry. A fallback must take the workload's requests as a route there would.
    pub(super) fn fallbacks(
        &mut self,
        plan: &raw::Plan,
        route: &raw::Route,
        workload: usize,
        context: &RouteContext<'_>,
    ) -> Vec<String> {
        let Some(list) = &route.fallback else {
            return Vec::new();
        };
        let own = route.offer.get_ref();
        let mut seen = BTreeSet::new();
        let mut valid = Vec::new();
        for entry in list {
            let name = entry.get_ref();
            if name == own {
                self.push(
                    entry.span(),
                    format!(
                        "a fallback loop: the route of workload `{}` in plan `{}` falls back to its own offer `{own}`",
                        route.workload.get_ref(),
                        plan.id.get_ref()
                    ),
                    "a fallback takes the traffic when the route's provider is lost; name another offer, at another provider",
                );
                continue;
            }
            if !seen.insert(name.clone()) {
                self.push(
                    entry.span(),
                    format!("`{name}` is named twice in the fallbacks of the route to `{own}`"),
                    "fallbacks are tried in order, once each; keep the first",
                );
                continue;
            }
            // Checked as a route of the same workload would be, with the same messages.
            let as_route = raw::Route {
                workload: route.workload.clone(),
                offer: entry.clone(),
                share: None,
                fallback: None,
            };
            if self.offer(plan, &as_route, workload, context) {
                valid.push(name.clone());
            }
        }
        valid
    }

    /// Sets each workload's `candidates`: offers or deployments of the catalog, none twice.
    /// Whether each can take the workload's requests is for `costcalc cheapest` to say, with
    /// its reasons.
    pub(super) fn candidates(
        &mut self,
        raw: &[raw::Workload],
        workloads: &mut [(Workload, WorkloadSpans)],
        catalog: &Catalog,
    ) {
        for written in raw {
            let Some(list) = &written.candidates else {
                continue;
            };
            let Some((workload, _)) = workloads
                .iter_mut()
                .find(|(w, _)| w.id == *written.id.get_ref())
            else {
                continue;
            };
            if list.get_ref().is_empty() {
                self.push(
                    list.span(),
                    format!(
                        "workload `{}` lists no `candidates`",
                        written.id.get_ref()
                    ),
                    "list the offers good enough for it, such as [\"gpt-5@openai\"], or remove the key",
                );
                continue;
            }
            let mut seen = BTreeSet::new();
            for entry in list.get_ref() {
                workload
                    .candidates
                    .extend(self.candidate(entry, &mut seen, catalog));
            }
        }
    }

    fn candidate(
        &mut self,
        entry: &Spanned<String>,
        seen: &mut BTreeSet<String>,
        catalog: &Catalog,
    ) -> Option<String> {
        let name = entry.get_ref();
        if let Err((message, hint)) = catalog.target(name) {
            self.push(entry.span(), message, hint);
            return None;
        }
        if !seen.insert(name.clone()) {
            self.push(
                entry.span(),
                format!("candidate `{name}` is named twice"),
                "name each candidate once",
            );
            return None;
        }
        Some(name.clone())
    }
}
