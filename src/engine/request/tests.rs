//! Hand-worked prices of single requests. Each expected figure is worked out in the comment above
//! it, in the offer's currency, per request.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::error::SourceFile;
use crate::estimate::Quantities;
use crate::pricing::Catalog;

/// An offer `m@p` built from the price lines given, through the real parser and validator.
/// `[batch]`, `[[tier]]` and `[tier.batch]` are shorthand for the offer's own tables.
fn offer(prices: &str) -> Offer {
    let prices = prices
        .replace("[tier.batch]", "[offer.tier.batch]")
        .replace("[[tier]]", "[[offer.tier]]")
        .replace("[batch]", "[offer.batch]");
    let text = format!(
        r#"
[[provider]]
id = "p"
name = "P"
country = "US"
pricing_url = "https://example.com/pricing"

[[model]]
id = "m"
name = "M"
maker = "M"
weights = "open"
license = "MIT"
origin = "US"
context_window = 1000000

[[offer]]
model = "m"
provider = "p"
as_of = 2026-11-20
source = "https://example.com/pricing"
{prices}
"#
    );
    let catalog = Catalog::parse(&[SourceFile::new("test.toml", text)])
        .unwrap_or_else(|e| panic!("{}", e.report()));
    catalog.offer("m@p").unwrap().clone()
}

/// A text request as `quote` describes one: the whole prompt with its cached and written parts.
#[derive(Clone, Copy)]
struct Req {
    input_tokens: Decimal,
    cached_input_tokens: Decimal,
    cache_write_tokens: Decimal,
    output_tokens: Decimal,
    reasoning_tokens: Decimal,
    cache_write: Component,
    batch: bool,
}

impl Req {
    /// The request in the engine's disjoint buckets.
    fn build(&self) -> Request {
        let mut quantities = Quantities::default();
        quantities[Component::Input] =
            self.input_tokens - self.cached_input_tokens - self.cache_write_tokens;
        quantities[Component::CachedInput] = self.cached_input_tokens;
        quantities[self.cache_write] = self.cache_write_tokens;
        quantities[Component::Output] = self.output_tokens;
        quantities[Component::Reasoning] = self.reasoning_tokens;
        quantities[Component::Request] = Decimal::ONE;
        Request {
            quantities,
            service: self.batch.then_some(ServiceTier::Batch),
        }
    }
}

fn request(input: Decimal, output: Decimal) -> Req {
    Req {
        input_tokens: input,
        cached_input_tokens: Decimal::ZERO,
        cache_write_tokens: Decimal::ZERO,
        output_tokens: output,
        reasoning_tokens: Decimal::ZERO,
        cache_write: Component::CacheWrite5m,
        batch: false,
    }
}

fn total(offer: &Offer, request: &Req) -> (Decimal, Fallbacks) {
    let mut fallbacks = Fallbacks::default();
    let cost = price(offer, &request.build(), &mut fallbacks).unwrap();
    (cost.total, fallbacks)
}

fn cached_fallback(fallbacks: &Fallbacks) -> bool {
    fallbacks
        .missing
        .contains(&(Component::CachedInput, Component::Input))
}

fn write_fallback(fallbacks: &Fallbacks) -> bool {
    fallbacks.missing.iter().any(|(c, _)| c.is_cache_write())
}

#[test]
fn plain_input_and_output() {
    // 3,000 x 2.50 / 1M = 0.0075; 500 x 10 / 1M = 0.005; total 0.0125.
    let offer = offer("input = 2.50\noutput = 10");
    let mut fallbacks = Fallbacks::default();
    let cost = price(
        &offer,
        &request(dec!(3000), dec!(500)).build(),
        &mut fallbacks,
    )
    .unwrap();
    assert_eq!(cost.costs[Component::Input], dec!(0.0075));
    assert_eq!(cost.costs[Component::Output], dec!(0.005));
    assert_eq!(cost.total, dec!(0.0125));
    assert_eq!(cost.quantities[Component::Input], dec!(3000));
    assert_eq!(fallbacks, Fallbacks::default());
}

#[test]
fn cache_hits_and_writes_split_the_input_once() {
    let offer = offer(
        "input = 3\noutput = 15\ncached_input = 0.30\ncache_write_5m = 3.75\ncache_write_1h = 6",
    );
    let mut req = request(dec!(10000), dec!(0));
    req.cached_input_tokens = dec!(6000);
    req.cache_write_tokens = dec!(3000);
    // 10,000 input tokens: 6,000 hits, 3,000 writes, 1,000 plain.
    // 5-minute TTL: 1,000 x 3 + 6,000 x 0.30 + 3,000 x 3.75 = 3,000 + 1,800 + 11,250 = 16,050 / 1M.
    let mut fallbacks = Fallbacks::default();
    let cost = price(&offer, &req.build(), &mut fallbacks).unwrap();
    let q = &cost.quantities;
    assert_eq!(
        (
            q[Component::Input],
            q[Component::CachedInput],
            q[Component::CacheWrite5m]
        ),
        (dec!(1000), dec!(6000), dec!(3000))
    );
    assert_eq!(cost.prompt_tokens(), req.input_tokens);
    assert_eq!(cost.total, dec!(0.01605));
    // 1-hour TTL: 3,000 + 1,800 + 3,000 x 6 = 22,800 / 1M.
    req.cache_write = Component::CacheWrite1h;
    assert_eq!(total(&offer, &req).0, dec!(0.0228));
}

#[test]
fn missing_cache_prices_pay_the_input_price_and_say_so() {
    let mut req = request(dec!(10000), dec!(0));
    req.cached_input_tokens = dec!(5000);
    req.cache_write_tokens = dec!(1000);
    // No cached or write price: all 10,000 tokens at 0.40 = 4,000 / 1M. The missing cached price
    // is flagged; the missing write price is not, since the offer prices no writes at all.
    let (cost, fallbacks) = total(&offer("input = 0.40\noutput = 1.20"), &req);
    assert_eq!(cost, dec!(0.004));
    assert!(cached_fallback(&fallbacks));
    assert!(!write_fallback(&fallbacks));
    // With a 5-minute write price only, a 1-hour write is flagged and pays input:
    // 4,000 x 0.40 + 5,000 x 0.04 + 1,000 x 0.40 = 1,600 + 200 + 400 = 2,200 / 1M.
    req.cache_write = Component::CacheWrite1h;
    let (cost, fallbacks) = total(
        &offer("input = 0.40\noutput = 1.20\ncached_input = 0.04\ncache_write_5m = 0.50"),
        &req,
    );
    assert_eq!(cost, dec!(0.0022));
    assert!(write_fallback(&fallbacks));
    assert!(!cached_fallback(&fallbacks));
}

#[test]
fn batch_discount_listed_prices_and_none() {
    let mut req = request(dec!(10000), dec!(1000));
    req.batch = true;
    // Discount 0.5: (10,000 x 2 + 1,000 x 8) x 0.5 = 14,000 / 1M.
    assert_eq!(
        total(&offer("input = 2\noutput = 8\nbatch_discount = 0.5"), &req).0,
        dec!(0.014)
    );
    // Listed batch prices: 10,000 x 1 + 1,000 x 6 = 16,000 / 1M.
    let listed = offer("input = 2\noutput = 12\n[batch]\ninput = 1\noutput = 6");
    assert_eq!(total(&listed, &req).0, dec!(0.016));
    // No batch prices: normal prices, 10,000 x 2 + 1,000 x 8 = 28,000 / 1M, and a flag.
    let (cost, fallbacks) = total(&offer("input = 2\noutput = 8"), &req);
    assert_eq!(cost, dec!(0.028));
    assert!(fallbacks.no_service_price.contains(&ServiceTier::Batch));
}

/// Base 1 / 5; above 32,000 input tokens 2 / 10 on the whole request.
const WHOLE_TIER: &str =
    "input = 1\noutput = 5\n[[tier]]\nabove_input_tokens = 32000\ninput = 2\noutput = 10";

#[test]
fn whole_request_tier_at_below_and_above_the_threshold() {
    let offer = offer(WHOLE_TIER);
    // Just below: 31,999 x 1 + 1,000 x 5 = 36,999 / 1M.
    assert_eq!(
        total(&offer, &request(dec!(31999), dec!(1000))).0,
        dec!(0.036999)
    );
    // At the threshold the tier does not apply (strictly above): 32,000 + 5,000 = 37,000 / 1M.
    assert_eq!(
        total(&offer, &request(dec!(32000), dec!(1000))).0,
        dec!(0.037)
    );
    // Just above, every token at the tier: 32,001 x 2 + 1,000 x 10 = 74,002 / 1M.
    assert_eq!(
        total(&offer, &request(dec!(32001), dec!(1000))).0,
        dec!(0.074002)
    );
}

#[test]
fn excess_tier_bills_only_the_tokens_above() {
    let offer = offer(&WHOLE_TIER.replace("[[tier]]", "[[tier]]\napplies_to = \"excess\""));
    // Below and at the threshold, as base: 31,999 + 5,000 and 32,000 + 5,000.
    assert_eq!(
        total(&offer, &request(dec!(31999), dec!(1000))).0,
        dec!(0.036999)
    );
    assert_eq!(
        total(&offer, &request(dec!(32000), dec!(1000))).0,
        dec!(0.037)
    );
    // Just above: 32,000 x 1 + 1 x 2 + output at the tier, 1,000 x 10 = 42,002 / 1M.
    assert_eq!(
        total(&offer, &request(dec!(32001), dec!(1000))).0,
        dec!(0.042002)
    );
    // Well above: 32,000 x 1 + 68,000 x 2 = 168,000 input, + 10,000 output = 178,000 / 1M.
    assert_eq!(
        total(&offer, &request(dec!(100000), dec!(1000))).0,
        dec!(0.178)
    );
}

#[test]
fn excess_tiers_stack_and_split_cache_per_range() {
    // Base 1, above 100 at 2 (excess), above 200 at 4 (excess); cached is a tenth of each.
    let offer = offer(
        "input = 1\noutput = 0\ncached_input = 0.1\n\
         [[tier]]\nabove_input_tokens = 100\napplies_to = \"excess\"\ninput = 2\ncached_input = 0.2\n\
         [[tier]]\nabove_input_tokens = 200\napplies_to = \"excess\"\ninput = 4\ncached_input = 0.4",
    );
    let mut req = request(dec!(300), dec!(0));
    req.cached_input_tokens = dec!(150);
    // Each range of 100 tokens: 50 plain, 50 cached.
    // 0-100: 50 x 1 + 50 x 0.1 = 55; 100-200: 50 x 2 + 50 x 0.2 = 110; 200-300: 220. Sum 385 / 1M.
    assert_eq!(total(&offer, &req).0, dec!(0.000385));
}

#[test]
fn tier_with_batch_prices_and_without() {
    let listed = offer(
        "input = 2\noutput = 12\n[batch]\ninput = 1\noutput = 6\n\
         [[tier]]\nabove_input_tokens = 200000\ninput = 4\noutput = 18",
    );
    let mut req = request(dec!(250000), dec!(1000));
    req.batch = true;
    // The tier has no batch prices: tier prices, 250,000 x 4 + 1,000 x 18 = 1,018,000 / 1M.
    let (cost, fallbacks) = total(&listed, &req);
    assert_eq!(cost, dec!(1.018));
    assert!(
        fallbacks
            .no_tier_service_price
            .contains(&(ServiceTier::Batch, 200_000))
    );
    // With the tier's batch prices 2 / 9: 500,000 + 9,000 = 509,000 / 1M.
    let with_tier_batch = offer(
        "input = 2\noutput = 12\n[batch]\ninput = 1\noutput = 6\n\
         [[tier]]\nabove_input_tokens = 200000\ninput = 4\noutput = 18\n[tier.batch]\ninput = 2\noutput = 9",
    );
    assert_eq!(
        total(&with_tier_batch, &req),
        (dec!(0.509), Fallbacks::default())
    );
}

#[test]
fn reasoning_tokens_pay_their_own_price_or_the_output_price() {
    let mut req = request(dec!(1000), dec!(200));
    req.reasoning_tokens = dec!(800);
    // Reasoning at output: 1,000 x 0.4 + 200 x 1.2 + 800 x 1.2 = 400 + 240 + 960 = 1,600 / 1M.
    assert_eq!(
        total(&offer("input = 0.4\noutput = 1.2"), &req).0,
        dec!(0.0016)
    );
    // Reasoning at 4: 400 + 240 + 800 x 4 = 3,840 / 1M.
    assert_eq!(
        total(&offer("input = 0.4\noutput = 1.2\nreasoning = 4"), &req).0,
        dec!(0.00384)
    );
    // The tier's reasoning price applies in the tier: above 500 tokens reasoning at 12:
    // 1,000 x 0.4 + 200 x 1.2 + 800 x 12 = 400 + 240 + 9,600 = 10,240 / 1M.
    let tiered = offer(
        "input = 0.4\noutput = 1.2\nreasoning = 4\n[[tier]]\nabove_input_tokens = 500\nreasoning = 12",
    );
    assert_eq!(total(&tiered, &req).0, dec!(0.01024));
}

#[test]
fn a_request_fee_is_added_once_and_not_discounted() {
    let mut req = request(dec!(1000), dec!(0));
    // 1,000 x 1 / 1M = 0.001, plus the fee 0.005 = 0.006.
    let with_fee = offer("input = 1\noutput = 1\nper_request = 0.005\nbatch_discount = 0.5");
    assert_eq!(total(&with_fee, &req).0, dec!(0.006));
    // In batch the tokens are halved but the fee is not: 0.0005 + 0.005.
    req.batch = true;
    assert_eq!(total(&with_fee, &req).0, dec!(0.0055));
}

#[test]
fn overflow_is_reported_not_wrapped() {
    let offer = offer("input = 1000000\noutput = 1");
    let huge = request(Decimal::MAX, dec!(0)).build();
    assert_eq!(
        price(&offer, &huge, &mut Fallbacks::default()),
        Err(PriceError::Overflow)
    );
}
