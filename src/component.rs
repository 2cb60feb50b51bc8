//! The things a bill charges for, as one list.
//!
//! Prices, quantities and costs are tables indexed by [`Component`] ([`PerComponent`]), so the
//! catalog's price keys, the request's buckets, the cost parts, the CSV columns and the JSON
//! fields all come from iterating [`Component::ALL`]. Adding a component is one variant here,
//! its row in each `match` below, and the tests for it.
//!
//! The quantities of one request are disjoint: an input token is uncached, read from the cache or
//! written to it, never two of these, so adding every component's cost never counts a token
//! twice. The prompt is the sum of the prompt components ([`Component::in_prompt`]).

use std::ops::{Index, IndexMut};

use serde::Serialize;

/// What a price is per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Per one million tokens, as providers publish token prices.
    PerMtok,
    /// Per call of a tool the provider runs, such as a web search.
    PerCall,
    /// Per request, whatever its size.
    PerRequest,
}

/// One thing a bill charges for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// Text (and other) prompt tokens neither read from nor written to the cache.
    Input,
    /// Prompt tokens read from the prompt cache.
    CachedInput,
    /// Prompt tokens written to the cache with a five-minute lifetime.
    CacheWrite5m,
    /// Prompt tokens written to the cache with a one-hour lifetime.
    CacheWrite1h,
    /// Prompt tokens written to the cache with a twelve-hour lifetime.
    CacheWrite12h,
    /// Audio prompt tokens not read from the cache.
    AudioInput,
    /// Audio prompt tokens read from the cache.
    CachedAudioInput,
    /// Image prompt tokens, where an offer prices them apart from text.
    ImageInput,
    /// Visible output tokens.
    Output,
    /// Reasoning (thinking) tokens, billed on top of the visible output.
    Reasoning,
    /// Audio output tokens.
    AudioOutput,
    /// Web searches (or grounding calls) the provider runs for the request.
    WebSearch,
    /// The fee every request pays, whatever its size.
    Request,
}

/// Where a price missing from an offer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// Billed at another component's price; `noted` says whether the report must say so
    /// (reasoning at the output price is how providers bill, so it is not an assumption).
    PriceOf { component: Component, noted: bool },
    /// Nothing is charged: an offer without a request fee has none.
    Free,
    /// No sensible price exists: a request that carries this component is an error at this offer.
    Refused,
}

impl Component {
    /// Every component, in the order of columns and fields.
    pub const ALL: [Component; 13] = [
        Component::Input,
        Component::CachedInput,
        Component::CacheWrite5m,
        Component::CacheWrite1h,
        Component::CacheWrite12h,
        Component::AudioInput,
        Component::CachedAudioInput,
        Component::ImageInput,
        Component::Output,
        Component::Reasoning,
        Component::AudioOutput,
        Component::WebSearch,
        Component::Request,
    ];

    /// How many components there are.
    pub const COUNT: usize = Component::ALL.len();

    /// Its position in [`Component::ALL`].
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The catalog's price key, also the stem of CSV columns and JSON fields.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            Component::Input => "input",
            Component::CachedInput => "cached_input",
            Component::CacheWrite5m => "cache_write_5m",
            Component::CacheWrite1h => "cache_write_1h",
            Component::CacheWrite12h => "cache_write_12h",
            Component::AudioInput => "audio_input",
            Component::CachedAudioInput => "cached_audio_input",
            Component::ImageInput => "image_input",
            Component::Output => "output",
            Component::Reasoning => "reasoning",
            Component::AudioOutput => "audio_output",
            Component::WebSearch => "web_search",
            Component::Request => "per_request",
        }
    }

    /// A short heading for tables.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Component::Input => "Input",
            Component::CachedInput => "Cached",
            Component::CacheWrite5m => "Write 5m",
            Component::CacheWrite1h => "Write 1h",
            Component::CacheWrite12h => "Write 12h",
            Component::AudioInput => "Audio in",
            Component::CachedAudioInput => "Cached audio",
            Component::ImageInput => "Image in",
            Component::Output => "Output",
            Component::Reasoning => "Reasoning",
            Component::AudioOutput => "Audio out",
            Component::WebSearch => "Searches",
            Component::Request => "Request fee",
        }
    }

    /// The CSV column of its quantity: tokens, searches, or requests for the request fee.
    #[must_use]
    pub const fn quantity_column(self) -> &'static str {
        match self {
            Component::Input => "uncached_input_tokens",
            Component::CachedInput => "cached_input_tokens",
            Component::CacheWrite5m => "cache_write_5m_tokens",
            Component::CacheWrite1h => "cache_write_1h_tokens",
            Component::CacheWrite12h => "cache_write_12h_tokens",
            Component::AudioInput => "uncached_audio_input_tokens",
            Component::CachedAudioInput => "cached_audio_input_tokens",
            Component::ImageInput => "image_input_tokens",
            Component::Output => "output_tokens",
            Component::Reasoning => "reasoning_tokens",
            Component::AudioOutput => "audio_output_tokens",
            Component::WebSearch => "web_searches",
            Component::Request => "requests",
        }
    }

    /// The CSV column and JSON field of its cost.
    #[must_use]
    pub const fn cost_column(self) -> &'static str {
        match self {
            Component::Input => "input_cost",
            Component::CachedInput => "cached_input_cost",
            Component::CacheWrite5m => "cache_write_5m_cost",
            Component::CacheWrite1h => "cache_write_1h_cost",
            Component::CacheWrite12h => "cache_write_12h_cost",
            Component::AudioInput => "audio_input_cost",
            Component::CachedAudioInput => "cached_audio_input_cost",
            Component::ImageInput => "image_input_cost",
            Component::Output => "output_cost",
            Component::Reasoning => "reasoning_cost",
            Component::AudioOutput => "audio_output_cost",
            Component::WebSearch => "web_search_cost",
            Component::Request => "request_fee_cost",
        }
    }

    #[must_use]
    pub const fn unit(self) -> Unit {
        match self {
            Component::WebSearch => Unit::PerCall,
            Component::Request => Unit::PerRequest,
            _ => Unit::PerMtok,
        }
    }

    /// Whether its quantity is prompt tokens: these add up to the prompt that tiers and input
    /// limits are judged by.
    #[must_use]
    pub const fn in_prompt(self) -> bool {
        matches!(
            self,
            Component::Input
                | Component::CachedInput
                | Component::CacheWrite5m
                | Component::CacheWrite1h
                | Component::CacheWrite12h
                | Component::AudioInput
                | Component::CachedAudioInput
                | Component::ImageInput
        )
    }

    /// Whether it is a write to the prompt cache, of any lifetime.
    #[must_use]
    pub const fn is_cache_write(self) -> bool {
        matches!(
            self,
            Component::CacheWrite5m | Component::CacheWrite1h | Component::CacheWrite12h
        )
    }

    /// Whether its quantity is tokens the model generates.
    #[must_use]
    pub const fn generated(self) -> bool {
        matches!(
            self,
            Component::Output | Component::Reasoning | Component::AudioOutput
        )
    }

    /// Where its price comes from when an offer does not list it.
    #[must_use]
    pub const fn fallback(self) -> Fallback {
        match self {
            // A provider without a cache discount bills cache hits and writes as plain input,
            // and one that lists no image price counts images as prompt tokens.
            Component::CachedInput
            | Component::CacheWrite5m
            | Component::CacheWrite1h
            | Component::CacheWrite12h
            | Component::ImageInput => Fallback::PriceOf {
                component: Component::Input,
                noted: true,
            },
            Component::CachedAudioInput => Fallback::PriceOf {
                component: Component::AudioInput,
                noted: true,
            },
            Component::Reasoning => Fallback::PriceOf {
                component: Component::Output,
                noted: false,
            },
            Component::Request => Fallback::Free,
            // Audio at a text-only offer, or a search at an offer without search, cannot happen.
            Component::AudioInput | Component::AudioOutput | Component::WebSearch => {
                Fallback::Refused
            }
            Component::Input | Component::Output => Fallback::Refused,
        }
    }

    /// The catalog key for `key`, if it names a component.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Component> {
        Component::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// One value per component, iterable in [`Component::ALL`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct PerComponent<T>([T; Component::COUNT]);

impl<T> PerComponent<T> {
    /// A table with `f(component)` for every component.
    pub fn from_fn(mut f: impl FnMut(Component) -> T) -> Self {
        Self(std::array::from_fn(|i| f(Component::ALL[i])))
    }

    /// Every component with its value.
    pub fn iter(&self) -> impl Iterator<Item = (Component, &T)> {
        Component::ALL.into_iter().zip(&self.0)
    }

    /// Every component with a mutable reference to its value.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (Component, &mut T)> {
        Component::ALL.into_iter().zip(&mut self.0)
    }

    /// The values, in [`Component::ALL`] order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter()
    }

    /// A table of `f` applied to each value.
    pub fn map<U>(&self, mut f: impl FnMut(Component, &T) -> U) -> PerComponent<U> {
        PerComponent::from_fn(|c| f(c, &self[c]))
    }

    /// A table of `f` applied to each value, or the first error.
    ///
    /// # Errors
    /// The first error `f` returns, in [`Component::ALL`] order.
    pub fn try_map<U, E>(
        &self,
        mut f: impl FnMut(Component, &T) -> Result<U, E>,
    ) -> Result<PerComponent<U>, E> {
        let mut values = Vec::with_capacity(Component::COUNT);
        for (component, value) in self.iter() {
            values.push(f(component, value)?);
        }
        let array: [U; Component::COUNT] = values
            .try_into()
            .unwrap_or_else(|_| unreachable!("one value per component"));
        Ok(PerComponent(array))
    }
}

impl<T> Index<Component> for PerComponent<T> {
    type Output = T;

    fn index(&self, component: Component) -> &T {
        &self.0[component.index()]
    }
}

impl<T> IndexMut<Component> for PerComponent<T> {
    fn index_mut(&mut self, component: Component) -> &mut T {
        &mut self.0[component.index()]
    }
}

/// In JSON, an object with one field per component, named by its key, in list order.
impl<T: Serialize> Serialize for PerComponent<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(Component::COUNT))?;
        for (component, value) in self.iter() {
            map.serialize_entry(component.key(), value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_in_index_order_and_keys_are_unique() {
        for (i, component) in Component::ALL.into_iter().enumerate() {
            assert_eq!(component.index(), i);
            assert_eq!(Component::from_key(component.key()), Some(component));
        }
        let mut keys: Vec<_> = Component::ALL.iter().map(|c| c.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Component::COUNT);
    }

    #[test]
    fn every_fallback_ends_at_a_listed_price_or_a_decision() {
        // Following fallbacks from any component ends at a decision, never in a loop.
        for component in Component::ALL {
            let mut current = component;
            for _ in 0..Component::COUNT {
                match current.fallback() {
                    Fallback::PriceOf { component, .. } => current = component,
                    Fallback::Free | Fallback::Refused => break,
                }
            }
            assert!(
                !matches!(current.fallback(), Fallback::PriceOf { .. }),
                "{component:?} falls back in a loop"
            );
        }
    }

    #[test]
    fn prompt_and_generated_components_are_disjoint_token_buckets() {
        for component in Component::ALL {
            assert!(!(component.in_prompt() && component.generated()));
            if component.in_prompt() || component.generated() {
                assert_eq!(component.unit(), Unit::PerMtok);
            }
        }
    }

    /// The JSON Schema lists exactly the components, in order, wherever a table of them appears,
    /// so a new component cannot be left out of the published report format.
    #[test]
    fn the_report_schema_lists_every_component() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../schema/run-report.schema.json")).unwrap();
        let keys: Vec<&str> = Component::ALL.iter().map(|c| c.key()).collect();
        let defs = &schema["$defs"];
        assert_eq!(defs["component"]["enum"], serde_json::json!(keys));
        for table in ["quantities", "costs", "prices"] {
            let listed: Vec<&str> = defs[table]["properties"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            let mut listed_sorted = listed.clone();
            listed_sorted.sort_unstable();
            assert_eq!(listed_sorted, expected, "`{table}` in the schema");
            assert_eq!(
                defs[table]["required"],
                serde_json::json!(keys),
                "`{table}`"
            );
        }
    }

    #[test]
    fn tables_index_map_and_serialize_by_key() {
        let table = PerComponent::from_fn(Component::index);
        assert_eq!(table[Component::Output], Component::Output.index());
        let doubled = table.map(|_, v| v * 2);
        assert_eq!(doubled[Component::Request], 2 * Component::Request.index());
        let failed: Result<PerComponent<usize>, &str> = table.try_map(|c, v| {
            if c == Component::Reasoning {
                Err("stop")
            } else {
                Ok(*v)
            }
        });
        assert_eq!(failed, Err("stop"));
        let json = serde_json::to_string(&PerComponent::from_fn(Component::unit)).unwrap();
        assert!(json.starts_with(r#"{"input":"per_mtok","cached_input":"per_mtok""#));
        assert!(json.ends_with(r#""web_search":"per_call","per_request":"per_request"}"#));
    }
}
