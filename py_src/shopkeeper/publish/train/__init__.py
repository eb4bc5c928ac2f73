"""Training with numpy: `pipeline` runs it (sessions, `neighbours`, `popularity`, `timing`,
and `tune` for the next-item shelves) and reports what was learned."""
