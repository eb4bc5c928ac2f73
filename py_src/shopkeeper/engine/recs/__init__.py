"""Recommendations: `shelves` turns a page's placements into decisions, `recommend` ranks one
shelf under the merchant's rules, `candidates` and `next_item` propose the products of each
strategy, `similar` derives content neighbours from facets, `reasons` says why."""
