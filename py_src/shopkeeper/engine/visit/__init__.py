"""The visit a page belongs to: `traffic` classifies source, device and local time, from
`referrers` (kinds of sites) and `urls` (host and query parameters)."""
