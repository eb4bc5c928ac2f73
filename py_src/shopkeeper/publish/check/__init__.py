"""`shopkeeper check`: a published site as browsers fetch it (site.py), with the
Content-Security-Policy read as they read it (csp.py) and files asked for as they ask
(fetch.py). Needs the standard library only (brotli when installed)."""

from shopkeeper.publish.check.site import Finding, check_site

__all__ = ["Finding", "check_site"]
