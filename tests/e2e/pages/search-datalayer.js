// The same search reported to GA4 as the page marks up (a long query with markup in it):
// view_search_results must not count twice.
window.dataLayer = [{ event: "view_search_results", search_term: "<b>waterproof</b> trail shoes " + "x".repeat(300) }];
