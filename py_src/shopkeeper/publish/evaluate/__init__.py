"""Offline evaluation: `holdout` scores the shipped shelves on the end of the log against the
`baselines`, replaying pages through the browser's decision function (`replay`), with the
`metrics` tuning uses too."""
