//! Hand-worked capacity cases. A 30-day month has 2,592,000 seconds.

use rust_decimal_macros::dec;

use super::*;

/// 1,000 output and 2,000 input tokens a second per replica of 8 GPUs at $2 per GPU-hour.
const REPLICA: Replica = Replica {
    input_tokens_per_second: Decimal::from_parts(2000, 0, 0, false, 0),
    output_tokens_per_second: Decimal::from_parts(1000, 0, 0, false, 0),
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
        peak_input_tokens: Decimal::ZERO,
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
fn the_scarcer_of_input_and_output_decides() {
    // 500 output tokens a second needs half a replica; 5,000 input tokens a second needs 2.5:
    // three replicas.
    let seconds = dec!(2592000);
    let demand = Demand {
        input_tokens: dec!(5000) * seconds,
        output_tokens: dec!(500) * seconds,
        peak_input_tokens: dec!(5000) * seconds,
        peak_output_tokens: dec!(500) * seconds,
    };
    let sizing = size(&demand, &REPLICA, &always_on(Decimal::ONE), 30).unwrap();
    assert_eq!(sizing.replicas_peak, 3);
    // Input is 5,000 of the 6,000 tokens a second three replicas serve.
    assert_eq!(sizing.utilization.round_dp(6), dec!(0.833333));
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
