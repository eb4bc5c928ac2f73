// Google Consent Mode as a consent banner sets it up, before any tag: everything denied
// until the shopper answers (the test answers with gtag('consent', 'update', ...)).
window.dataLayer = window.dataLayer || [];
window.gtag = function gtag() { window.dataLayer.push(arguments); };
window.gtag("consent", "default", { ad_storage: "denied", analytics_storage: "denied", personalization_storage: "denied" });
