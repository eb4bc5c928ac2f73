"""What the browser knows about the shopper, from local events only: `sessions`, `affinity`,
`lifecycle`, `mindset`, and `profile`, which gathers them."""
