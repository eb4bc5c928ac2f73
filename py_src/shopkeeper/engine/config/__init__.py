"""The merchant's site config (docs/site-config.md): `site` reads it whole into frozen dataclasses;
`fields` reads one table with its path for errors; `slots` the content slots and shelf
placements; `campaigns` popups and experiments; `schedule` the date windows."""
