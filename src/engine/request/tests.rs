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

/// A request of the given quantities (the request fee's count is 1), through `service`.
fn carrying(items: &[(Component, Decimal)], service: Option<ServiceTier>) -> Request {
    let mut quantities = Quantities::default();
    for (component, quantity) in items {
        quantities[*component] = *quantity;
    }
    quantities[Component::Request] = Decimal::ONE;
    Request {
        quantities,
        service,
    }
}

/// The cost of `request` at `offer`, with the fallbacks taken.
fn priced(offer: &Offer, request: &Request) -> (RequestCost, Fallbacks) {
    let mut fallbacks = Fallbacks::default();
    let cost = price(offer, request, &mut fallbacks).unwrap();
    (cost, fallbacks)
}

#[test]
fn both_write_lifetimes_in_one_request_with_a_whole_request_tier() {
    let offer = offer(
        "input = 3\noutput = 15\ncached_input = 0.30\ncache_write_5m = 3.75\ncache_write_1h = 6\n\
         [[tier]]\nabove_input_tokens = 200000\ninput = 6\noutput = 22.5\ncached_input = 0.60\n\
         cache_write_5m = 7.50\ncache_write_1h = 12",
    );
    // Below the tier, a 10,000-token prompt: 4,000 plain, 3,000 hits, 2,000 5-minute writes and
    // 1,000 1-hour writes; 1,000 output tokens:
    //   4,000 x 3 + 3,000 x 0.30 + 2,000 x 3.75 + 1,000 x 6 + 1,000 x 15
    //   = 12,000 + 900 + 7,500 + 6,000 + 15,000 = 41,400 / 1M.
    let small = carrying(
        &[
            (Component::Input, dec!(4000)),
            (Component::CachedInput, dec!(3000)),
            (Component::CacheWrite5m, dec!(2000)),
            (Component::CacheWrite1h, dec!(1000)),
            (Component::Output, dec!(1000)),
        ],
        None,
    );
    let (cost, fallbacks) = priced(&offer, &small);
    assert_eq!(cost.costs[Component::CacheWrite5m], dec!(0.0075));
    assert_eq!(cost.costs[Component::CacheWrite1h], dec!(0.006));
    assert_eq!(cost.total, dec!(0.0414));
    assert_eq!(fallbacks, Fallbacks::default());
    // Above it, a 250,000-token prompt (100,000 plain, 100,000 hits, 30,000 5-minute and 20,000
    // 1-hour writes) and 2,000 output tokens, every one at the tier's prices:
    //   100,000 x 6 + 100,000 x 0.60 + 30,000 x 7.50 + 20,000 x 12 + 2,000 x 22.5
    //   = 600,000 + 60,000 + 225,000 + 240,000 + 45,000 = 1,170,000 / 1M.
    let large = carrying(
        &[
            (Component::Input, dec!(100000)),
            (Component::CachedInput, dec!(100000)),
            (Component::CacheWrite5m, dec!(30000)),
            (Component::CacheWrite1h, dec!(20000)),
            (Component::Output, dec!(2000)),
        ],
        None,
    );
    let (cost, fallbacks) = priced(&offer, &large);
    assert_eq!(cost.costs[Component::CacheWrite5m], dec!(0.225));
    assert_eq!(cost.costs[Component::CacheWrite1h], dec!(0.24));
    assert_eq!(cost.total, dec!(1.17));
    assert_eq!(fallbacks, Fallbacks::default());
}

#[test]
fn audio_in_cached_audio_and_audio_out_with_a_batch_discount() {
    let offer = offer(
        "input = 2.50\noutput = 10\naudio_input = 40\ncached_audio_input = 2.50\n\
         audio_output = 80\nper_request = 0.002\nbatch_discount = 0.5",
    );
    let items = [
        (Component::Input, dec!(1000)),
        (Component::AudioInput, dec!(2000)),
        (Component::CachedAudioInput, dec!(500)),
        (Component::Output, dec!(200)),
        (Component::AudioOutput, dec!(300)),
    ];
    // Standard: 1,000 x 2.50 + 2,000 x 40 + 500 x 2.50 + 200 x 10 + 300 x 80
    //   = 2,500 + 80,000 + 1,250 + 2,000 + 24,000 = 109,750 / 1M = 0.10975, plus the fee 0.002.
    let (cost, fallbacks) = priced(&offer, &carrying(&items, None));
    assert_eq!(cost.costs[Component::AudioInput], dec!(0.08));
    assert_eq!(cost.costs[Component::CachedAudioInput], dec!(0.00125));
    assert_eq!(cost.costs[Component::AudioOutput], dec!(0.024));
    assert_eq!(cost.total, dec!(0.11175));
    assert_eq!(fallbacks, Fallbacks::default());
    // Batch halves every per-1M price, not the request fee: 0.10975 / 2 + 0.002 = 0.056875.
    let (cost, fallbacks) = priced(&offer, &carrying(&items, Some(ServiceTier::Batch)));
    assert_eq!(cost.costs[Component::AudioInput], dec!(0.04));
    assert_eq!(cost.costs[Component::AudioOutput], dec!(0.012));
    assert_eq!(cost.costs[Component::Request], dec!(0.002));
    assert_eq!(cost.total, dec!(0.056875));
    assert_eq!(fallbacks, Fallbacks::default());
    // Without a cached audio price, cache hits pay the audio input price, and the report says so:
    // 500 x 40 = 20,000 instead of 1,250, so 109,750 + 18,750 = 128,500 / 1M, plus 0.002.
    let uncached = self::offer(
        "input = 2.50\noutput = 10\naudio_input = 40\naudio_output = 80\nper_request = 0.002",
    );
    let (cost, fallbacks) = priced(&uncached, &carrying(&items, None));
    assert_eq!(cost.total, dec!(0.1305));
    assert_eq!(
        fallbacks.missing,
        BTreeSet::from([(Component::CachedAudioInput, Component::AudioInput)])
    );
}

#[test]
fn image_input_at_its_own_price_or_the_input_price_with_a_note() {
    let items = [
        (Component::Input, dec!(1000)),
        (Component::ImageInput, dec!(1500)),
        (Component::Output, dec!(100)),
    ];
    // Priced: 1,000 x 2.50 + 1,500 x 1.25 + 100 x 10 = 2,500 + 1,875 + 1,000 = 5,375 / 1M.
    let (cost, fallbacks) = priced(
        &offer("input = 2.50\noutput = 10\nimage_input = 1.25"),
        &carrying(&items, None),
    );
    assert_eq!(cost.costs[Component::ImageInput], dec!(0.001875));
    assert_eq!(cost.total, dec!(0.005375));
    assert_eq!(fallbacks, Fallbacks::default());
    // Not priced: images are prompt tokens at the input price, 2,500 x 2.50 + 1,000 = 7,250 / 1M,
    // and noted.
    let (cost, fallbacks) = priced(&offer("input = 2.50\noutput = 10"), &carrying(&items, None));
    assert_eq!(cost.costs[Component::ImageInput], dec!(0.00375));
    assert_eq!(cost.total, dec!(0.00725));
    assert_eq!(
        fallbacks.missing,
        BTreeSet::from([(Component::ImageInput, Component::Input)])
    );
}

#[test]
fn web_searches_are_billed_per_call_and_not_discounted() {
    let offer = offer("input = 1\noutput = 4\nweb_search = 0.01\nbatch_discount = 0.5");
    let items = [
        (Component::Input, dec!(1000)),
        (Component::Output, dec!(100)),
        (Component::WebSearch, dec!(3)),
    ];
    // 1,000 x 1 / 1M + 100 x 4 / 1M + 3 x 0.01 = 0.001 + 0.0004 + 0.03 = 0.0314: a search's price
    // is per call, not per 1M.
    let (cost, _) = priced(&offer, &carrying(&items, None));
    assert_eq!(cost.costs[Component::WebSearch], dec!(0.03));
    assert_eq!(cost.total, dec!(0.0314));
    // In batch the tokens are halved, the searches are not: 0.0007 + 0.03.
    let (cost, _) = priced(&offer, &carrying(&items, Some(ServiceTier::Batch)));
    assert_eq!(cost.total, dec!(0.0307));
    // An offer without a search price cannot bill searches; without searches it is fine.
    let text = self::offer("input = 1\noutput = 4");
    assert_eq!(
        price(&text, &carrying(&items, None), &mut Fallbacks::default()),
        Err(PriceError::Unpriced(Component::WebSearch))
    );
    assert_eq!(
        priced(&text, &carrying(&items[..2], None)).0.total,
        dec!(0.0014)
    );
}

/// Standard 1.25 / 10 (cached 0.125); flex half, priority double; above 272,000 prompt tokens
/// 2.50 / 15 (cached 0.25), with its own priority prices 5 / 30 (cached 0.50) but no flex table.
const SERVICE_TIERS: &str = "input = 1.25\noutput = 10\ncached_input = 0.125\n\
    [offer.flex]\ninput = 0.625\noutput = 5\ncached_input = 0.0625\n\
    [offer.priority]\ninput = 2.50\noutput = 20\ncached_input = 0.25\n\
    [[tier]]\nabove_input_tokens = 272000\ninput = 2.50\noutput = 15\ncached_input = 0.25\n\
    [offer.tier.priority]\ninput = 5\noutput = 30\ncached_input = 0.50";

#[test]
fn flex_and_priority_prices_and_a_tier_without_flex_prices() {
    let offer = offer(SERVICE_TIERS);
    let small = |service| {
        carrying(
            &[
                (Component::Input, dec!(6000)),
                (Component::CachedInput, dec!(4000)),
                (Component::Output, dec!(1000)),
            ],
            service,
        )
    };
    // Standard: 6,000 x 1.25 + 4,000 x 0.125 + 1,000 x 10 = 7,500 + 500 + 10,000 = 18,000 / 1M.
    let (cost, fallbacks) = priced(&offer, &small(None));
    assert_eq!(cost.total, dec!(0.018));
    assert_eq!(fallbacks, Fallbacks::default());
    // Flex: 6,000 x 0.625 + 4,000 x 0.0625 + 1,000 x 5 = 3,750 + 250 + 5,000 = 9,000 / 1M.
    let (cost, fallbacks) = priced(&offer, &small(Some(ServiceTier::Flex)));
    assert_eq!(cost.total, dec!(0.009));
    assert_eq!(fallbacks, Fallbacks::default());
    // Priority: 6,000 x 2.50 + 4,000 x 0.25 + 1,000 x 20 = 15,000 + 1,000 + 20,000 = 36,000 / 1M.
    assert_eq!(
        priced(&offer, &small(Some(ServiceTier::Priority))).0.total,
        dec!(0.036)
    );
    let large = |service| {
        carrying(
            &[
                (Component::Input, dec!(200000)),
                (Component::CachedInput, dec!(100000)),
                (Component::Output, dec!(2000)),
            ],
            service,
        )
    };
    // Priority in the tier, at the tier's own priority prices:
    //   200,000 x 5 + 100,000 x 0.50 + 2,000 x 30 = 1,000,000 + 50,000 + 60,000 = 1,110,000 / 1M.
    let (cost, fallbacks) = priced(&offer, &large(Some(ServiceTier::Priority)));
    assert_eq!(cost.total, dec!(1.11));
    assert_eq!(fallbacks, Fallbacks::default());
    // Flex in the tier, which lists no flex prices: the tier's standard prices, and a note.
    //   200,000 x 2.50 + 100,000 x 0.25 + 2,000 x 15 = 500,000 + 25,000 + 30,000 = 555,000 / 1M
    //   (not the offer's flex prices, which would give 125,000 + 6,250 + 10,000 = 141,250).
    let (cost, fallbacks) = priced(&offer, &large(Some(ServiceTier::Flex)));
    assert_eq!(cost.total, dec!(0.555));
    assert_eq!(
        fallbacks.no_tier_service_price,
        BTreeSet::from([(ServiceTier::Flex, 272_000)])
    );
    assert!(fallbacks.no_service_price.is_empty());
}

#[test]
fn from_input_tokens_includes_the_threshold_and_above_input_tokens_does_not() {
    let from =
        offer("input = 1\noutput = 5\n[[tier]]\nfrom_input_tokens = 1000\ninput = 2\noutput = 10");
    let above =
        offer("input = 1\noutput = 5\n[[tier]]\nabove_input_tokens = 1000\ninput = 2\noutput = 10");
    let at = |prompt| request(prompt, dec!(100));
    // From 1,000: a prompt of exactly 1,000 is in the tier, 1,000 x 2 + 100 x 10 = 3,000 / 1M;
    // one of 999 is not, 999 x 1 + 100 x 5 = 1,499 / 1M.
    assert_eq!(total(&from, &at(dec!(1000))).0, dec!(0.003));
    assert_eq!(total(&from, &at(dec!(999))).0, dec!(0.001499));
    // Above 1,000: exactly 1,000 is not, 1,000 x 1 + 500 = 1,500 / 1M; 1,001 is,
    // 1,001 x 2 + 1,000 = 3,002 / 1M.
    assert_eq!(total(&above, &at(dec!(1000))).0, dec!(0.0015));
    assert_eq!(total(&above, &at(dec!(1001))).0, dec!(0.003002));

    // As excess tiers: from 1,000, the 1,000th token is the first at the tier's price.
    //   At 1,000: 999 x 1 + 1 x 2 = 1,001, output at the tier 1,000: 2,001 / 1M.
    //   At 1,001: 999 x 1 + 2 x 2 = 1,003, + 1,000 = 2,003 / 1M.
    let excess = |text: &str| offer(&text.replace("[[tier]]", "[[tier]]\napplies_to = \"excess\""));
    let from =
        excess("input = 1\noutput = 5\n[[tier]]\nfrom_input_tokens = 1000\ninput = 2\noutput = 10");
    assert_eq!(total(&from, &at(dec!(1000))).0, dec!(0.002001));
    assert_eq!(total(&from, &at(dec!(1001))).0, dec!(0.002003));
    assert_eq!(total(&from, &at(dec!(999))).0, dec!(0.001499));
    // Above 1,000, token 1,001 is the first: at 1,000 all at base, 1,000 + 500 = 1,500 / 1M;
    // at 1,001: 1,000 x 1 + 1 x 2 = 1,002, + 1,000 = 2,002 / 1M.
    let above = excess(
        "input = 1\noutput = 5\n[[tier]]\nabove_input_tokens = 1000\ninput = 2\noutput = 10",
    );
    assert_eq!(total(&above, &at(dec!(1000))).0, dec!(0.0015));
    assert_eq!(total(&above, &at(dec!(1001))).0, dec!(0.002002));
}

#[test]
fn a_tier_that_leaves_out_output_bills_the_output_of_the_tier_beneath() {
    // Base 1 / 5; above 100: 2 / 10; above 200: input 4 and no output, so output stays at 10.
    let offer = offer(
        "input = 1\noutput = 5\n\
         [[tier]]\nabove_input_tokens = 100\ninput = 2\noutput = 10\n\
         [[tier]]\nabove_input_tokens = 200\ninput = 4",
    );
    // 300 x 4 + 100 x 10 = 1,200 + 1,000 = 2,200 / 1M (the base's output would give 1,700).
    let (cost, _) = priced(&offer, &request(dec!(300), dec!(100)).build());
    assert_eq!(cost.costs[Component::Output], dec!(0.001));
    assert_eq!(cost.total, dec!(0.0022));
    // In the first tier: 150 x 2 + 100 x 10 = 1,300 / 1M.
    assert_eq!(
        total(&offer, &request(dec!(150), dec!(100))).0,
        dec!(0.0013)
    );
}

#[test]
fn an_excess_tier_splits_hits_and_both_write_lifetimes_per_range_and_bills_output_at_the_top() {
    let offer = offer(
        "input = 1\noutput = 10\ncached_input = 0.1\ncache_write_5m = 1.25\ncache_write_1h = 2\n\
         [[tier]]\nabove_input_tokens = 1000\napplies_to = \"excess\"\ninput = 2\noutput = 20\n\
         cached_input = 0.2\ncache_write_5m = 2.5\ncache_write_1h = 4",
    );
    // A 4,000-token prompt: 1,000 plain, 2,000 hits, 600 5-minute and 400 1-hour writes; 100 out.
    // The first 1,000 tokens (a quarter of each bucket) at base:
    //   250 x 1 + 500 x 0.1 + 150 x 1.25 + 100 x 2 = 250 + 50 + 187.5 + 200 = 687.5
    // the other 3,000 (three quarters) at the tier:
    //   750 x 2 + 1,500 x 0.2 + 450 x 2.5 + 300 x 4 = 1,500 + 300 + 1,125 + 1,200 = 4,125
    // output at the tier: 100 x 20 = 2,000. Total 6,812.5 / 1M.
    let (cost, fallbacks) = priced(
        &offer,
        &carrying(
            &[
                (Component::Input, dec!(1000)),
                (Component::CachedInput, dec!(2000)),
                (Component::CacheWrite5m, dec!(600)),
                (Component::CacheWrite1h, dec!(400)),
                (Component::Output, dec!(100)),
            ],
            None,
        ),
    );
    // Per bucket: input 250 + 1,500 = 1,750; hits 50 + 300 = 350; 5-minute 187.5 + 1,125 =
    // 1,312.5; 1-hour 200 + 1,200 = 1,400.
    assert_eq!(cost.costs[Component::Input], dec!(0.00175));
    assert_eq!(cost.costs[Component::CachedInput], dec!(0.00035));
    assert_eq!(cost.costs[Component::CacheWrite5m], dec!(0.0013125));
    assert_eq!(cost.costs[Component::CacheWrite1h], dec!(0.0014));
    assert_eq!(cost.costs[Component::Output], dec!(0.002));
    assert_eq!(cost.total, dec!(0.0068125));
    assert_eq!(fallbacks, Fallbacks::default());
}

#[test]
fn a_missing_write_price_is_noted_only_where_another_lifetime_is_priced() {
    let items = [
        (Component::Input, dec!(1000)),
        (Component::CacheWrite5m, dec!(1000)),
        (Component::CacheWrite1h, dec!(1000)),
        (Component::CacheWrite12h, dec!(1000)),
    ];
    // No write price at all: every write is plain input, as such providers bill it, unnoted:
    // 4,000 x 2 = 8,000 / 1M.
    let (cost, fallbacks) = priced(&offer("input = 2\noutput = 8"), &carrying(&items, None));
    assert_eq!(cost.total, dec!(0.008));
    assert_eq!(fallbacks, Fallbacks::default());
    // A 5-minute price only: the 5-minute writes at 2.50, the 1-hour and 12-hour ones at input,
    // each noted: 1,000 x 2 + 1,000 x 2.50 + 2,000 x 2 = 8,500 / 1M.
    let (cost, fallbacks) = priced(
        &offer("input = 2\noutput = 8\ncache_write_5m = 2.50"),
        &carrying(&items, None),
    );
    assert_eq!(cost.total, dec!(0.0085));
    assert_eq!(
        fallbacks.missing,
        BTreeSet::from([
            (Component::CacheWrite1h, Component::Input),
            (Component::CacheWrite12h, Component::Input),
        ])
    );
    // A 12-hour price only: the others noted, the 12-hour write at 4:
    // 3,000 x 2 + 1,000 x 4 = 10,000 / 1M.
    let (cost, fallbacks) = priced(
        &offer("input = 2\noutput = 8\ncache_write_12h = 4"),
        &carrying(&items, None),
    );
    assert_eq!(cost.total, dec!(0.01));
    assert_eq!(
        fallbacks.missing,
        BTreeSet::from([
            (Component::CacheWrite5m, Component::Input),
            (Component::CacheWrite1h, Component::Input),
        ])
    );
}

#[test]
fn audio_at_a_text_only_offer_is_refused_naming_the_component() {
    let text = offer("input = 1\noutput = 4\ncached_input = 0.1");
    let refused = |component| {
        price(
            &text,
            &carrying(
                &[(Component::Input, dec!(100)), (component, dec!(10))],
                None,
            ),
            &mut Fallbacks::default(),
        )
    };
    assert_eq!(
        refused(Component::AudioInput),
        Err(PriceError::Unpriced(Component::AudioInput))
    );
    assert_eq!(
        refused(Component::AudioOutput),
        Err(PriceError::Unpriced(Component::AudioOutput))
    );
    // Cached audio falls back to the audio input price, which this offer does not have either.
    assert_eq!(
        refused(Component::CachedAudioInput),
        Err(PriceError::Unpriced(Component::CachedAudioInput))
    );
    // Batch does not change that.
    assert_eq!(
        price(
            &text,
            &carrying(
                &[(Component::AudioInput, dec!(10))],
                Some(ServiceTier::Batch)
            ),
            &mut Fallbacks::default(),
        ),
        Err(PriceError::Unpriced(Component::AudioInput))
    );
}

#[test]
fn a_request_fee_with_flex_prices_is_kept_unless_the_flex_table_restates_it() {
    let items = [
        (Component::Input, dec!(1000)),
        (Component::Output, dec!(100)),
    ];
    // Flex prices 0.5 / 2 and the offer's fee of 0.002: 1,000 x 0.5 + 100 x 2 = 700 / 1M, + 0.002.
    let flex =
        offer("input = 1\noutput = 4\nper_request = 0.002\n[offer.flex]\ninput = 0.5\noutput = 2");
    let (cost, fallbacks) = priced(&flex, &carrying(&items, Some(ServiceTier::Flex)));
    assert_eq!(cost.costs[Component::Request], dec!(0.002));
    assert_eq!(cost.total, dec!(0.0027));
    assert_eq!(fallbacks, Fallbacks::default());
    // A flex table with its own fee of 0.001: 0.0007 + 0.001.
    let own_fee = offer(
        "input = 1\noutput = 4\nper_request = 0.002\n[offer.flex]\ninput = 0.5\noutput = 2\nper_request = 0.001",
    );
    assert_eq!(
        priced(&own_fee, &carrying(&items, Some(ServiceTier::Flex)))
            .0
            .total,
        dec!(0.0017)
    );
    // Standard requests keep the offer's fee: 1,000 x 1 + 100 x 4 = 1,400 / 1M, + 0.002.
    assert_eq!(
        priced(&own_fee, &carrying(&items, None)).0.total,
        dec!(0.0034)
    );
}
