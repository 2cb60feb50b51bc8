-- Price a usage table at costcalc's list prices, in SQL.
--
-- Input, two CSV files in the current folder:
--   prices.csv  written by `costcalc catalog export --format csv`
--   usage.csv   the costcalc usage CSV (README, "Start from your bill"): time, model,
--               provider, one column per component (input, cached_input, ...), requests, and
--               optionally project, key, workload, batch, service_tier, stated_cost
-- Run:  duckdb < docs/price-usage.sql   (from Python: README, "Usage in a warehouse")
--
-- Part 1 loads the files and is DuckDB's own SQL; part 2 (the view `usage_cost`) and part 3 are
-- plain SQL that Spark, BigQuery and Snowflake run with the changes the README lists.
-- scripts/duckdb-check runs this file in CI and compares it with `costcalc usage`.
--
-- What it prices, and what it leaves to `costcalc usage`:
-- - Model names must be catalog model ids and `provider` a catalog provider id: the offer is
--   `model@provider`. Dated names and aliases (`gpt-4o-2024-08-06`) are not resolved here.
-- - Base prices only. Long-context tiers are not applied: every row is priced at the offer's
--   base prices, and `reaches_tier` flags rows whose average request is past the offer's first
--   tier (costcalc prices those at tier prices).
-- - Service tiers only where the row names one (`batch` true, or `service_tier` batch, flex or
--   priority); an offer that does not price that tier bills it at standard prices, as costcalc.
-- - A price the catalog does not state falls back as costcalc's does: cache reads, cache
--   writes and image tokens at the input price, cached audio at the audio input price,
--   reasoning at the output price, no request fee. Audio and searches at an offer without
--   their price cannot be priced: the row's cost is NULL, never zero.
-- - A row whose offer is not in the price list has a NULL cost; part 3 lists such rows, and
--   every total that includes one is NULL.
-- - `time` is read as text: its first seven characters are the month and its first ten the
--   day (write instants in UTC, as `2025-01-31T09:30:00Z`).
-- - Prices over time: an offer with dated changes has one set of prices per period, with
--   `effective_from` and `effective_to` its first and last days (inclusive; NULL where
--   open-ended). Each row pays the prices of the period that holds its day, as costcalc does.

-- Part 1: load (DuckDB). Prices are exact decimals; counts are whole numbers.
CREATE OR REPLACE TABLE prices AS
SELECT * FROM read_csv('prices.csv', header = true, columns = {
    'offer': 'VARCHAR', 'provider': 'VARCHAR', 'model': 'VARCHAR', 'component': 'VARCHAR',
    'unit': 'VARCHAR', 'tier_input_tokens': 'BIGINT', 'tier_boundary': 'VARCHAR',
    'tier_applies_to': 'VARCHAR', 'service_tier': 'VARCHAR', 'price': 'DECIMAL(38,12)',
    'currency': 'VARCHAR', 'as_of': 'DATE', 'source': 'VARCHAR', 'effective_from': 'DATE',
    'effective_to': 'DATE'
});

CREATE OR REPLACE TABLE usage (
    time VARCHAR, model VARCHAR, provider VARCHAR,
    input BIGINT, cached_input BIGINT, cache_write_5m BIGINT, cache_write_1h BIGINT,
    cache_write_12h BIGINT, audio_input BIGINT, cached_audio_input BIGINT, image_input BIGINT,
    output BIGINT, reasoning BIGINT, audio_output BIGINT, web_search BIGINT, requests BIGINT,
    project VARCHAR, key VARCHAR, workload VARCHAR, batch VARCHAR, service_tier VARCHAR,
    stated_cost DECIMAL(38,12)
);
-- Columns the file leaves out stay NULL, which part 2 reads as zero.
INSERT INTO usage BY NAME SELECT * FROM read_csv('usage.csv', header = true, all_varchar = true);

-- Part 2: one row per usage row, with the prices it pays and its cost (portable SQL).
CREATE OR REPLACE VIEW usage_cost AS
WITH
-- Base prices (no long-context tier), one row per offer, service tier ('' = standard) and
-- price period, one column per component.
price_list AS (
    SELECT
        offer,
        COALESCE(service_tier, '') AS service_tier,
        effective_from,
        effective_to,
        MAX(currency) AS currency,
        MAX(CASE WHEN component = 'input' THEN price END) AS input,
        MAX(CASE WHEN component = 'cached_input' THEN price END) AS cached_input,
        MAX(CASE WHEN component = 'cache_write_5m' THEN price END) AS cache_write_5m,
        MAX(CASE WHEN component = 'cache_write_1h' THEN price END) AS cache_write_1h,
        MAX(CASE WHEN component = 'cache_write_12h' THEN price END) AS cache_write_12h,
        MAX(CASE WHEN component = 'audio_input' THEN price END) AS audio_input,
        MAX(CASE WHEN component = 'cached_audio_input' THEN price END) AS cached_audio_input,
        MAX(CASE WHEN component = 'image_input' THEN price END) AS image_input,
        MAX(CASE WHEN component = 'output' THEN price END) AS output,
        MAX(CASE WHEN component = 'reasoning' THEN price END) AS reasoning,
        MAX(CASE WHEN component = 'audio_output' THEN price END) AS audio_output,
        MAX(CASE WHEN component = 'web_search' THEN price END) AS web_search,
        MAX(CASE WHEN component = 'per_request' THEN price END) AS per_request
    FROM prices
    WHERE tier_input_tokens IS NULL
    GROUP BY offer, COALESCE(service_tier, ''), effective_from, effective_to
),
-- Where each offer's first long-context tier starts.
first_tier AS (
    SELECT offer, MIN(tier_input_tokens) AS tier_input_tokens
    FROM prices
    WHERE tier_input_tokens IS NOT NULL
    GROUP BY offer
),
-- Each usage row with its offer, month and service tier, and zero for an empty count.
usage_rows AS (
    SELECT
        model || '@' || provider AS offer,
        model,
        provider,
        SUBSTR(time, 1, 7) AS month,
        CAST(SUBSTR(time, 1, 10) AS DATE) AS day,
        CASE
            WHEN LOWER(batch) IN ('true', '1') THEN 'batch'
            WHEN service_tier IN ('batch', 'flex', 'priority') THEN service_tier
            ELSE ''
        END AS service_tier,
        COALESCE(input, 0) AS input,
        COALESCE(cached_input, 0) AS cached_input,
        COALESCE(cache_write_5m, 0) AS cache_write_5m,
        COALESCE(cache_write_1h, 0) AS cache_write_1h,
        COALESCE(cache_write_12h, 0) AS cache_write_12h,
        COALESCE(audio_input, 0) AS audio_input,
        COALESCE(cached_audio_input, 0) AS cached_audio_input,
        COALESCE(image_input, 0) AS image_input,
        COALESCE(output, 0) AS output,
        COALESCE(reasoning, 0) AS reasoning,
        COALESCE(audio_output, 0) AS audio_output,
        COALESCE(web_search, 0) AS web_search,
        requests,
        project,
        key,
        workload,
        stated_cost
    FROM usage
),
-- The list each row pays: its service tier's where the offer prices it, else standard, of the
-- price period that holds the row's day. (An exported service-tier list states every component
-- the standard one does.)
paid AS (
    SELECT
        r.*,
        d.currency,
        COALESCE(s.input, d.input) AS p_input,
        COALESCE(s.cached_input, d.cached_input) AS p_cached_input,
        COALESCE(s.cache_write_5m, d.cache_write_5m) AS p_cache_write_5m,
        COALESCE(s.cache_write_1h, d.cache_write_1h) AS p_cache_write_1h,
        COALESCE(s.cache_write_12h, d.cache_write_12h) AS p_cache_write_12h,
        COALESCE(s.audio_input, d.audio_input) AS p_audio_input,
        COALESCE(s.cached_audio_input, d.cached_audio_input) AS p_cached_audio_input,
        COALESCE(s.image_input, d.image_input) AS p_image_input,
        COALESCE(s.output, d.output) AS p_output,
        COALESCE(s.reasoning, d.reasoning) AS p_reasoning,
        COALESCE(s.audio_output, d.audio_output) AS p_audio_output,
        COALESCE(s.web_search, d.web_search) AS p_web_search,
        COALESCE(s.per_request, d.per_request) AS p_per_request,
        t.tier_input_tokens AS first_tier_input_tokens
    FROM usage_rows r
    LEFT JOIN price_list d ON d.offer = r.offer AND d.service_tier = ''
        AND (d.effective_from IS NULL OR r.day >= d.effective_from)
        AND (d.effective_to IS NULL OR r.day <= d.effective_to)
    LEFT JOIN price_list s ON s.offer = r.offer AND s.service_tier = r.service_tier
        AND r.service_tier <> ''
        AND (s.effective_from IS NULL OR r.day >= s.effective_from)
        AND (s.effective_to IS NULL OR r.day <= s.effective_to)
    LEFT JOIN first_tier t ON t.offer = r.offer
),
-- costcalc's fallbacks for prices the catalog does not state.
priced AS (
    SELECT
        p.*,
        p_input AS b_input,
        COALESCE(p_cached_input, p_input) AS b_cached_input,
        COALESCE(p_cache_write_5m, p_input) AS b_cache_write_5m,
        COALESCE(p_cache_write_1h, p_input) AS b_cache_write_1h,
        COALESCE(p_cache_write_12h, p_input) AS b_cache_write_12h,
        p_audio_input AS b_audio_input,
        COALESCE(p_cached_audio_input, p_audio_input) AS b_cached_audio_input,
        COALESCE(p_image_input, p_input) AS b_image_input,
        p_output AS b_output,
        COALESCE(p_reasoning, p_output) AS b_reasoning,
        p_audio_output AS b_audio_output,
        p_web_search AS b_web_search,
        COALESCE(p_per_request, 0) AS b_per_request
    FROM paid p
)
SELECT
    offer, model, provider, month, service_tier, currency, project, key, workload,
    requests,
    input, cached_input, cache_write_5m, cache_write_1h, cache_write_12h, audio_input,
    cached_audio_input, image_input, output, reasoning, audio_output, web_search,
    stated_cost,
    -- The average request is past the offer's first long-context tier: costcalc bills it at
    -- tier prices, this recipe at base prices.
    COALESCE(
        input + cached_input + cache_write_5m + cache_write_1h + cache_write_12h
            + audio_input + cached_audio_input + image_input
            > first_tier_input_tokens * requests,
        FALSE
    ) AS reaches_tier,
    -- Tokens at prices per 1M, searches per call, the fee per request. A component with a
    -- quantity and no price leaves the cost NULL (an unknown offer leaves every price NULL).
    CASE WHEN b_input IS NULL OR requests IS NULL THEN NULL ELSE
        (CASE WHEN input = 0 THEN 0 ELSE input * b_input END
        + CASE WHEN cached_input = 0 THEN 0 ELSE cached_input * b_cached_input END
        + CASE WHEN cache_write_5m = 0 THEN 0 ELSE cache_write_5m * b_cache_write_5m END
        + CASE WHEN cache_write_1h = 0 THEN 0 ELSE cache_write_1h * b_cache_write_1h END
        + CASE WHEN cache_write_12h = 0 THEN 0 ELSE cache_write_12h * b_cache_write_12h END
        + CASE WHEN audio_input = 0 THEN 0 ELSE audio_input * b_audio_input END
        + CASE WHEN cached_audio_input = 0 THEN 0
            ELSE cached_audio_input * b_cached_audio_input END
        + CASE WHEN image_input = 0 THEN 0 ELSE image_input * b_image_input END
        + CASE WHEN output = 0 THEN 0 ELSE output * b_output END
        + CASE WHEN reasoning = 0 THEN 0 ELSE reasoning * b_reasoning END
        + CASE WHEN audio_output = 0 THEN 0 ELSE audio_output * b_audio_output END
        ) * 0.000001
        + CASE WHEN web_search = 0 THEN 0 ELSE web_search * b_web_search END
        + requests * b_per_request
    END AS cost
FROM priced;

-- Part 3: the bill by group (here the model) and month. A total is NULL, never a partial sum,
-- when any of its rows could not be priced.
SELECT
    model, offer, month, currency,
    SUM(requests) AS requests,
    CASE WHEN COUNT(cost) = COUNT(*) THEN SUM(cost) END AS cost,
    SUM(CASE WHEN reaches_tier THEN 1 ELSE 0 END) AS rows_past_a_tier
FROM usage_cost
GROUP BY model, offer, month, currency
ORDER BY model, offer, month;

-- Rows that could not be priced: an offer missing from prices.csv, or a component it has no
-- price for.
SELECT offer, month, requests FROM usage_cost WHERE cost IS NULL ORDER BY offer, month;
