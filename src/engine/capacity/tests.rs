//! Hand-worked capacity cases. A 30-day month has 2,592,000 seconds.

use rust_decimal_macros::dec;

use super::*;

/// Prefills 2,000 or decodes 1,000 tokens a second per replica of 8 GPUs at $2 per GPU-hour.
const REPLICA: Replica = Replica {
    prefill_tokens_per_second: Decimal::from_parts(2000, 0, 0, false, 0),
    decode_tokens_per_second: Decimal::from_parts(1000, 0, 0, false, 0),
    gpus: 8,
    per_gpu_hour: Decimal::from_parts(2, 0, 0, false, 0),
};

fn always_on(utilization: Decimal) -> Operation {
    Operation {
        utilization,
        capacity: Capacity::AlwaysOn,
        peak_hours_per_day: 8,
    }
}

/// A flat demand (peak = average) of `output` output tokens a second for 30 days, no input.
fn flat_output(output_per_second: Decimal) -> Demand {
    let tokens = output_per_second * dec!(2592000);
    Demand {
        input_tokens: Decimal::ZERO,
        output_tokens: tokens,
        prefill_tokens: Decimal::ZERO,
        peak_prefill_tokens: Decimal::ZERO,
        peak_output_tokens: tokens,
    }
}

#[test]
fn an_idle_deployment_still_rents_one_replica() {
    // No demand: one replica, 8 GPUs x 720 hours = 5,760 GPU-hours x $2 = $11,520.
    let sizing = size(&Demand::default(), &REPLICA, &always_on(dec!(0.7)), 30).unwrap();
    assert_eq!(sizing.replicas_peak, 1);
    assert_eq!(sizing.gpu_hours, dec!(5760));
    assert_eq!(sizing.gpu_cost, dec!(11520));
    assert_eq!(sizing.utilization, Decimal::ZERO);
}

#[test]
fn exactly_full_and_one_token_over() {
    // At 100% target utilisation, 2,000 output tokens a second fill exactly two replicas.
    let full = size(
        &flat_output(dec!(2000)),
        &REPLICA,
        &always_on(Decimal::ONE),
        30,
    )
    .unwrap();
    assert_eq!(full.replicas_peak, 2);
    assert_eq!(full.utilization, Decimal::ONE);
    // One token a second more needs a third: 3 x 8 x 720 = 17,280 GPU-hours, $34,560.
    let over = size(
        &flat_output(dec!(2001)),
        &REPLICA,
        &always_on(Decimal::ONE),
        30,
    )
    .unwrap();
    assert_eq!(over.replicas_peak, 3);
    assert_eq!(over.gpu_cost, dec!(34560));
    // At 70%, one replica plans for 700 tokens a second: 1,400 fills two exactly, 1,401 needs three.
    assert_eq!(
        size(
            &flat_output(dec!(1400)),
            &REPLICA,
            &always_on(dec!(0.7)),
            30
        )
        .unwrap()
        .replicas_peak,
        2
    );
    assert_eq!(
        size(
            &flat_output(dec!(1401)),
            &REPLICA,
            &always_on(dec!(0.7)),
            30
        )
        .unwrap()
        .replicas_peak,
        3
    );
}

#[test]
fn prefill_and_decode_share_the_replicas_time() {
    // 5,000 prefill tokens a second take 2.5 replica-seconds a second and 500 decode tokens 0.5:
    // 3 replicas, exactly full. One more decode token a second needs a fourth.
    let seconds = dec!(2592000);
    let demand = |decode: Decimal| Demand {
        input_tokens: dec!(5000) * seconds,
        output_tokens: decode * seconds,
        prefill_tokens: dec!(5000) * seconds,
        peak_prefill_tokens: dec!(5000) * seconds,
        peak_output_tokens: decode * seconds,
    };
    let full = size(&demand(dec!(500)), &REPLICA, &always_on(Decimal::ONE), 30).unwrap();
    assert_eq!(full.replicas_peak, 3);
    assert_eq!(full.utilization, Decimal::ONE);
    let over = size(&demand(dec!(501)), &REPLICA, &always_on(Decimal::ONE), 30).unwrap();
    assert_eq!(over.replicas_peak, 4);
    // 3.001 busy replica-seconds a second over 4 rented: 75.025%.
    assert_eq!(over.utilization, dec!(0.75025));
}

#[test]
fn prompt_cache_hits_are_not_prefilled() {
    // 8,000 prompt tokens a second of which 6,000 are cache hits: only 2,000 are prefilled, one
    // replica-second a second, so one replica at 100% serves them; all 8,000 would need four.
    let seconds = dec!(2592000);
    let demand = Demand {
        input_tokens: dec!(8000) * seconds,
        output_tokens: Decimal::ZERO,
        prefill_tokens: dec!(2000) * seconds,
        peak_prefill_tokens: dec!(2000) * seconds,
        peak_output_tokens: Decimal::ZERO,
    };
    let sizing = size(&demand, &REPLICA, &always_on(Decimal::ONE), 30).unwrap();
    assert_eq!(sizing.replicas_peak, 1);
    assert_eq!(sizing.utilization, Decimal::ONE);
}

/// The saturation runs the bundled deployments' rates come from, as each page reports them:
/// deployment, input tokens a second (total less output) and output tokens a second.
const CITED_RUNS: [(&str, u32, u32); 7] = [
    // docs.gpustack.ai performance-lab qwen3-235b-a22b/h100, BF16 TP8: ShareGPT 8,425 total with
    // 4,015 output; random 4,000 in / 200 out, 21,114 total with 931 output.
    ("qwen3-235b-a22b-instruct-2507@self-h100x8-vllm", 4410, 4015),
    ("qwen3-235b-a22b-instruct-2507@self-h100x8-vllm", 20183, 931),
    // Same page, FP8 TP4, per instance: 7,787 total with 3,701 output.
    ("qwen3-235b-a22b-instruct-2507@self-h100x4-vllm", 4086, 3701),
    // gpt-oss-120b/h100, TP2 async scheduling: 16,042 total with 7,649 output.
    ("gpt-oss-120b@self-h100x2-vllm", 8393, 7649),
    // deepseek-r1/h200, SGLang TP8 DP attention: 7,143 total with 3,415 output.
    ("deepseek-r1-0528@self-h200x8-sglang", 3728, 3415),
    // TensorRT-LLM perf-overview, Llama 3.3 70B H100 TP2 FP8, per GPU x 2: 1000/1000 at 2,209
    // output, 8192/1024 at 398 output.
    ("llama-3.3-70b@self-h100x2-trtllm", 4418, 4418),
    ("llama-3.3-70b@self-h100x2-trtllm", 6368, 796),
];

#[test]
fn the_bundled_rates_reproduce_each_cited_benchmark_within_ten_percent() {
    // Fed a run's own mix at its measured rate, one replica's modelled throughput is the run's
    // tokens a second over the busy time they take; it must be within 10% of what was measured.
    let catalog = crate::pricing::Catalog::builtin().unwrap();
    for (id, input, output) in CITED_RUNS {
        let deployment = catalog.deployment(id).unwrap();
        let replica = Replica {
            prefill_tokens_per_second: deployment.prefill_tokens_per_second,
            decode_tokens_per_second: deployment.decode_tokens_per_second,
            gpus: deployment.gpus_per_replica,
            per_gpu_hour: Decimal::ONE,
        };
        let measured = Decimal::from(input + output);
        let busy = busy(&replica, Decimal::from(input), Decimal::from(output)).unwrap();
        let modelled = measured / busy;
        let error = ((modelled - measured) / measured).abs();
        assert!(
            error <= dec!(0.1),
            "{id}: modelled {modelled} against {measured} measured"
        );
        // Every rate was solved from these runs, so they agree to the rounding of the rates.
        assert!(error < dec!(0.001), "{id}: {error}");
    }
}

#[test]
fn a_long_prompt_run_is_not_capped_at_a_chat_runs_input_rate() {
    // The Qwen3-235B long-prompt run served 20,183 input and 931 output tokens a second on one
    // 8-GPU replica. Capping input at the ShareGPT run's 4,410 a second, as a single measured run
    // would, asks for ceil(20,183 / 4,410) = 5 replicas; the prefill-plus-decode model asks for
    // one: 20,183 / 24,945 + 931 / 4,877 = 0.8091 + 0.1909 = 1.000 replica-seconds a second.
    let catalog = crate::pricing::Catalog::builtin().unwrap();
    let deployment = catalog
        .deployment("qwen3-235b-a22b-instruct-2507@self-h100x8-vllm")
        .unwrap();
    let replica = Replica {
        prefill_tokens_per_second: deployment.prefill_tokens_per_second,
        decode_tokens_per_second: deployment.decode_tokens_per_second,
        gpus: 8,
        per_gpu_hour: Decimal::ONE,
    };
    let seconds = dec!(2592000);
    // 99% of the run's rate, so the rounding of the rates cannot tip it over one replica.
    let demand = Demand {
        input_tokens: dec!(20183) * dec!(0.99) * seconds,
        output_tokens: dec!(931) * dec!(0.99) * seconds,
        prefill_tokens: dec!(20183) * dec!(0.99) * seconds,
        peak_prefill_tokens: dec!(20183) * dec!(0.99) * seconds,
        peak_output_tokens: dec!(931) * dec!(0.99) * seconds,
    };
    let sizing = size(&demand, &replica, &always_on(Decimal::ONE), 30).unwrap();
    assert_eq!(sizing.replicas_peak, 1);
}

#[test]
fn peaks_size_the_fleet() {
    // An average of 1,000 output tokens a second with a peak twice that needs two replicas at 100%.
    let mut demand = flat_output(dec!(1000));
    demand.peak_output_tokens = demand.output_tokens * dec!(2);
    assert_eq!(
        size(&demand, &REPLICA, &always_on(Decimal::ONE), 30)
            .unwrap()
            .replicas_peak,
        2
    );
}

#[test]
fn scaling_down_off_peak() {
    // Average 1,000 output tokens a second, peak 2x for 8 hours a day. The peak hours carry
    // 2 x 8 = 16 hours' worth of the day's 24, leaving 8 hours' worth for the other 16 hours:
    // 500 tokens a second off peak, one replica. Peak: two replicas.
    // GPU-hours: (2 x 8 + 1 x 16) x 30 days x 8 GPUs = 32 x 240 = 7,680; $15,360.
    let mut demand = flat_output(dec!(1000));
    demand.peak_output_tokens = demand.output_tokens * dec!(2);
    let operation = Operation {
        utilization: Decimal::ONE,
        capacity: Capacity::ScaleDown,
        peak_hours_per_day: 8,
    };
    let sizing = size(&demand, &REPLICA, &operation, 30).unwrap();
    assert_eq!((sizing.replicas_peak, sizing.replicas_off_peak), (2, 1));
    assert_eq!(sizing.gpu_hours, dec!(7680));
    assert_eq!(sizing.gpu_cost, dec!(15360));
}
