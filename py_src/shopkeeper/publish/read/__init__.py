"""Reading the merchant's inputs, each error located by file and line: the catalog (`catalog`,
`catalog_formats`), event logs of any common shape (`events` over `delimited`,
`event_formats`, `ga4`, `event_columns`, `event_values`, yielding `eventlog.EventChunk`s),
column names (`columns`), formats sniffed (`sources`) and the site config (`site_config`)."""
