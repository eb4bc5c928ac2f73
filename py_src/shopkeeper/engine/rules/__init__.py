"""The merchant's rule language (docs/site-config.md, "Rules"), parsed by our own evaluator:
`tokens` -> `syntax` (a bounded recursive-descent parser) -> `checks` against the names of
`names` -> `compiled` rules that evaluate with the total operators of `values`."""
