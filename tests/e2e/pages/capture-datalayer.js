// GA4 as a store already has it before shopkeeper's tag runs: a GTM-style dataLayer with
// a view_item for the product on screen (also marked up: must not count twice) and a
// gtag() view_item for another product (a quick view).
window.dataLayer = window.dataLayer || [];
window.gtag = function gtag() { window.dataLayer.push(arguments); };
window.gtag("js", new Date());
window.dataLayer.push({ ecommerce: null });
window.dataLayer.push({
  event: "view_item",
  ecommerce: { currency: "EUR", value: 89.5, items: [{ item_id: "SKU-1", item_name: "Trail shoe", price: 89.5 }] },
});
window.gtag("event", "view_item", { currency: "EUR", items: [{ item_id: "SKU-7", item_name: "Quick view", price: "12.50" }] });
