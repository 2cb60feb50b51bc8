//! Self-hosting in the catalog: GPU types, their rental prices, and deployments of open models
//! on them with a measured throughput. Validated here like offers; priced by capacity in the
//! engine, never by token.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde::Serialize;
use toml::Spanned;

use super::Catalog;
use super::check::Checker;
use super::raw::{self, GpuPricing};
use crate::calendar::Date;
use crate::error::{Problems, SourceFile, suggest};

/// A GPU type, such as an H100 SXM 80GB.
#[derive(Debug, Clone)]
pub struct Gpu {
    pub(crate) name: String,
    pub(crate) memory_gb: u32,
    pub(crate) defined_in: String,
}

/// A GPU type for rent at one provider.
#[derive(Debug, Clone, Serialize)]
pub struct GpuOffer {
    pub id: String,
    pub gpu: String,
    pub provider: String,
    pub pricing: GpuPricing,
    /// In `currency` per GPU per hour.
    pub per_gpu_hour: Decimal,
    pub currency: String,
    pub as_of: Date,
    pub source: String,
    #[serde(skip)]
    pub(crate) defined_in: String,
}

/// An open model on rented GPUs, with the throughput one replica was measured at.
#[derive(Debug, Clone, Serialize)]
pub struct Deployment {
    /// `model@id`, as plans name it.
    pub id: String,
    pub model: String,
    pub gpu_offer: String,
    pub gpus_per_replica: u32,
    pub engine: String,
    /// Uncached prompt tokens one replica prefills a second.
    pub prefill_tokens_per_second: Decimal,
    /// Tokens one replica generates a second.
    pub decode_tokens_per_second: Decimal,
    pub measured_with: String,
    pub as_of: Date,
    pub source: String,
    #[serde(skip)]
    pub(crate) defined_in: String,
}

impl Checker<'_> {
    pub(super) fn gpu(&mut self, raw: &raw::Gpu) -> Option<Gpu> {
        let before = self.problems_len();
        self.id("gpu", &raw.id);
        if *raw.memory_gb.get_ref() == 0 {
            self.push(
                raw.memory_gb.span(),
                "`memory_gb` must be above 0".to_owned(),
                Some("give the GPU's memory in GB, such as 80".to_owned()),
            );
        }
        (self.problems_len() == before).then(|| Gpu {
            name: raw.name.clone(),
            memory_gb: *raw.memory_gb.get_ref(),
            defined_in: self.file.name.clone(),
        })
    }

    pub(super) fn gpu_offer(&mut self, raw: &raw::GpuOffer, catalog: &Catalog) -> Option<GpuOffer> {
        let before = self.problems_len();
        self.id("gpu offer", &raw.id);
        self.known(
            &raw.gpu,
            "GPU",
            catalog.gpus.keys().map(String::as_str),
            "[[gpu]]",
        );
        self.known(
            &raw.provider,
            "provider",
            catalog.providers.keys().map(String::as_str),
            "[[provider]]",
        );
        let price = *raw.per_gpu_hour.get_ref();
        if price <= Decimal::ZERO {
            self.push(
                raw.per_gpu_hour.span(),
                format!("`per_gpu_hour` must be above 0 (found {price})"),
                Some("the rental price of one GPU for one hour".to_owned()),
            );
        }
        let currency = self.currency(raw.currency.as_ref());
        let as_of = self.date("as_of", &raw.as_of);
        self.source("source", &raw.source);
        if self.problems_len() != before {
            return None;
        }
        Some(GpuOffer {
            id: raw.id.get_ref().clone(),
            gpu: raw.gpu.get_ref().clone(),
            provider: raw.provider.get_ref().clone(),
            pricing: raw.pricing,
            per_gpu_hour: price,
            currency,
            as_of: as_of?,
            source: raw.source.get_ref().clone(),
            defined_in: self.file.name.clone(),
        })
    }

    pub(super) fn deployment(
        &mut self,
        raw: &raw::Deployment,
        catalog: &Catalog,
    ) -> Option<Deployment> {
        let before = self.problems_len();
        self.id("deployment", &raw.id);
        if catalog.providers.contains_key(raw.id.get_ref()) {
            self.push(
                raw.id.span(),
                format!("deployment id `{}` is also a provider id", raw.id.get_ref()),
                Some(
                    "plans name both as `model@id`, so they must differ; try `self-...`".to_owned(),
                ),
            );
        }
        self.known(
            &raw.model,
            "model",
            catalog.models.keys().map(String::as_str),
            "[[model]]",
        );
        if let Some(model) = catalog.models.get(raw.model.get_ref())
            && model.weights == raw::Weights::Closed
        {
            self.push(
                raw.model.span(),
                format!(
                    "`{}` is a closed model; only open weights can be self-hosted",
                    raw.model.get_ref()
                ),
                Some("deploy an open-weight model".to_owned()),
            );
        }
        self.known(
            &raw.gpu_offer,
            "GPU offer",
            catalog.gpu_offers.keys().map(String::as_str),
            "[[gpu_offer]]",
        );
        if *raw.gpus_per_replica.get_ref() == 0 {
            self.push(
                raw.gpus_per_replica.span(),
                "`gpus_per_replica` must be above 0".to_owned(),
                Some("the number of GPUs one copy of the model runs on, such as 8".to_owned()),
            );
        }
        self.deployment_rates(raw);
        let as_of = self.date("as_of", &raw.as_of);
        self.source("source", &raw.source);
        if self.problems_len() != before {
            return None;
        }
        Some(Deployment {
            id: format!("{}@{}", raw.model.get_ref(), raw.id.get_ref()),
            model: raw.model.get_ref().clone(),
            gpu_offer: raw.gpu_offer.get_ref().clone(),
            gpus_per_replica: *raw.gpus_per_replica.get_ref(),
            engine: raw.engine.clone(),
            prefill_tokens_per_second: *raw.prefill_tokens_per_second.as_ref()?.get_ref(),
            decode_tokens_per_second: *raw.decode_tokens_per_second.as_ref()?.get_ref(),
            measured_with: raw.measured_with.clone(),
            as_of: as_of?,
            source: raw.source.get_ref().clone(),
            defined_in: self.file.name.clone(),
        })
    }

    /// Reports an id that names nothing of its kind, with the closest one.
    fn known<'n>(
        &mut self,
        id: &toml::Spanned<String>,
        kind: &str,
        names: impl Iterator<Item = &'n str> + Clone,
        table: &str,
    ) {
        if names.clone().any(|n| n == id.get_ref()) {
            return;
        }
        let hint = suggest(id.get_ref(), names).map_or_else(
            || format!("define it in a `{table}` table first"),
            |best| format!("did you mean `{best}`?"),
        );
        self.push(
            id.span(),
            format!("unknown {kind} `{}`", id.get_ref()),
            Some(hint),
        );
    }
}

/// Adds the GPUs, GPU offers and deployments of every file, after models and providers: GPU
/// offers name GPUs and deployments name GPU offers, from any file.
pub(super) fn register(
    parsed: &[(&Arc<SourceFile>, raw::CatalogFile)],
    catalog: &mut Catalog,
    problems: &mut Problems,
) {
    for (file, raw) in parsed {
        let mut check = Checker::new(file, problems);
        for gpu in &raw.gpu {
            if let Some(valid) = check.gpu(gpu) {
                check.register(
                    &mut catalog.gpus,
                    "GPU",
                    &gpu.id,
                    gpu.overrides,
                    valid,
                    |g| &g.defined_in,
                );
            }
        }
    }
    // GPU offers name GPUs, and deployments name GPU offers, from any file.
    for (file, raw) in parsed {
        let mut check = Checker::new(file, problems);
        for offer in &raw.gpu_offer {
            if let Some(valid) = check.gpu_offer(offer, catalog) {
                check.register(
                    &mut catalog.gpu_offers,
                    "GPU offer",
                    &offer.id,
                    offer.overrides,
                    valid,
                    |o| &o.defined_in,
                );
            }
        }
    }
    for (file, raw) in parsed {
        let mut check = Checker::new(file, problems);
        for deployment in &raw.deployment {
            if let Some(valid) = check.deployment(deployment, catalog) {
                let id = Spanned::new(deployment.id.span(), valid.id.clone());
                check.register(
                    &mut catalog.deployments,
                    "deployment",
                    &id,
                    deployment.overrides,
                    valid,
                    |d| &d.defined_in,
                );
            }
        }
    }
}

impl Checker<'_> {
    /// A deployment's prefill and decode rates: stated and above zero. A file still giving the
    /// earlier single-run input and output rates is told what replaced them.
    fn deployment_rates(&mut self, raw: &raw::Deployment) {
        for (rate, key, old) in [
            (
                &raw.prefill_tokens_per_second,
                "prefill_tokens_per_second",
                &raw.input_tokens_per_second,
            ),
            (
                &raw.decode_tokens_per_second,
                "decode_tokens_per_second",
                &raw.output_tokens_per_second,
            ),
        ] {
            match (rate, old) {
                    (Some(rate), _) if *rate.get_ref() <= Decimal::ZERO => self.push(
                        rate.span(),
                        format!("a throughput must be above 0 (found {})", rate.get_ref()),
                        Some(
                            "tokens per second of one replica, taken from a published benchmark run"
                                .to_owned(),
                        ),
                    ),
                    (Some(_), None) => {}
                    (_, Some(old)) => self.push(
                        old.span(),
                        format!(
                            "a replica is sized by its prefill and decode rates, not by one run's input and output rates (found {})",
                            old.get_ref()
                        ),
                        Some(if rate.is_some() {
                            format!(
                                "remove it: `{key}` replaces it, as a run's input rate is not a cap when prefill and decode share the replica's time"
                            )
                        } else {
                            format!(
                                "remove it and give `{key}`: a run's input rate is not a cap, as prefill and decode share the replica's time"
                            )
                        }),
                    ),
                    (None, None) => self.push(
                        raw.id.span(),
                        format!("this deployment has no `{key}`"),
                        Some(format!(
                            "add `{key} = ...`: tokens a second of one replica, from a published benchmark run"
                        )),
                    ),
                }
        }
    }
}
