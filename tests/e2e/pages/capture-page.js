// The store's own click handlers, which report to GA4 as well: at once, and after a
// pretend server round trip (window.pushedLater tells the test it happened).
document.getElementById("add-and-push").addEventListener("click", function () {
  window.dataLayer.push({ event: "add_to_cart", ecommerce: { items: [{ item_id: "SKU-3", price: 20, quantity: 1 }] } });
});
document.getElementById("add-and-push-later").addEventListener("click", function () {
  setTimeout(function () {
    window.gtag("event", "add_to_cart", { items: [{ item_id: "SKU-4", price: 5, quantity: 1 }] });
    window.pushedLater = (window.pushedLater || 0) + 1;
  }, 300);
});
