// The order confirmation page: shows the order that checkout kept in this browser and
// tells shopkeeper about the purchase, once, with shopkeeper.track("purchase", ...).
// A merchant may mark the loader async, so it may run after this file: then the purchase
// is recorded when its <script> element has loaded.
(function () {
  "use strict";

  var ORDER_KEY = "ridgeline:last-order";
  var money = new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" });

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function withShopkeeper(use) {
    if (window.shopkeeper) return use(window.shopkeeper);
    var tag = document.querySelector("script[src$='/shopkeeper.js']");
    if (tag) tag.addEventListener("load", function () { if (window.shopkeeper) use(window.shopkeeper); }, { once: true });
  }

  var order = null;
  try { order = JSON.parse(localStorage.getItem(ORDER_KEY)); } catch (error) { /* storage blocked: no order to show */ }
  if (!order || !Array.isArray(order.items) || !order.items.length) return;

  var view = document.querySelector("[data-order-view]");
  var list = element("ul", "summary-lines");
  order.items.forEach(function (line) {
    var row = element("li");
    row.append(element("span", "", line.quantity + " × " + line.title), element("span", "", money.format(line.price * line.quantity)));
    list.append(row);
  });
  var total = element("p", "order-total", "Total " + money.format(order.total) + (order.coupon ? " with code " + order.coupon : ""));
  view.replaceChildren(
    element("p", "eyebrow", "Order " + order.number),
    element("h1", "", "Thank you, your gear is on its way"),
    element("p", "", "A demo order: nothing was charged or sent. It is kept in this browser only."),
    list, total);

  if (order.recorded) return; // a reload of this page is not a second purchase
  withShopkeeper(function (shopkeeper) {
    shopkeeper.track("purchase", {
      items: order.items.map(function (line) { return { product: line.id, quantity: line.quantity, price: line.price }; }),
      value: order.total,
      discount: order.discount > 0,
    });
    order.recorded = true;
    try { localStorage.setItem(ORDER_KEY, JSON.stringify(order)); } catch (error) { /* blocked: nothing to update */ }
  });
})();
