// The demo store's own cart: kept in this browser's localStorage, no server involved.
//
// This is the store's code, not shopkeeper's, and it would work the same without it. It
// talks to shopkeeper the way a merchant's theme does: add-to-cart buttons carry
// data-sk-add-to-cart (the loader records those clicks itself, and this file marks the
// buttons it creates), and removals go through shopkeeper.track(). Buttons that
// shopkeeper renders in its shelves carry the same attributes, so they add to this cart too.
(function () {
  "use strict";

  var CART_KEY = "ridgeline:cart";
  var ORDER_KEY = "ridgeline:last-order";
  var FREE_SHIPPING_FROM = 100;
  var SHIPPING = 4.95;
  var COUPONS = { WELCOME10: 0.10, THANKYOU15: 0.15, COMEBACK10: 0.10 };
  var money = new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" });

  function read(key, fallback) {
    try {
      var value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (error) { return fallback; } // storage blocked or unreadable: start empty
  }

  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (error) { /* full or blocked: kept for this page only */ }
  }

  function lines() {
    var stored = read(CART_KEY, []);
    return Array.isArray(stored) ? stored.filter(function (line) { return line && line.id && line.quantity > 0; }) : [];
  }

  function save(cart) {
    write(CART_KEY, cart);
    showCount(cart);
    renderCart();
    renderSummary();
  }

  function track(type, data) {
    if (window.shopkeeper && typeof window.shopkeeper.track === "function") window.shopkeeper.track(type, data);
  }

  function totals(cart, coupon) {
    var subtotal = cart.reduce(function (sum, line) { return sum + line.price * line.quantity; }, 0);
    var rate = COUPONS[(coupon || "").trim().toUpperCase()] || 0;
    var discount = Math.round(subtotal * rate * 100) / 100;
    var shipping = subtotal === 0 || subtotal - discount >= FREE_SHIPPING_FROM ? 0 : SHIPPING;
    return { subtotal: subtotal, discount: discount, shipping: shipping, total: subtotal - discount + shipping };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // An add-to-cart button for shopkeeper: the loader records clicks on data-sk-add-to-cart.
  function markForShopkeeper(button, line) {
    button.setAttribute("data-sk-add-to-cart", line.id);
    button.setAttribute("data-sk-price", line.price.toFixed(2));
    ["title", "url", "image"].forEach(function (field) { button.setAttribute("data-" + field, line[field] || ""); });
    return button;
  }

  // --- adding, from any button with data-sk-add-to-cart ------------------------------------

  function add(button) {
    var id = button.getAttribute("data-sk-add-to-cart");
    var price = parseFloat(button.getAttribute("data-sk-price"));
    if (!id || !(price >= 0)) return;
    var cart = lines();
    var line = cart.filter(function (existing) { return existing.id === id; })[0];
    if (line) line.quantity += 1;
    else {
      cart.push({
        id: id, price: price, quantity: 1, title: button.getAttribute("data-title") || id,
        url: button.getAttribute("data-url") || "", image: button.getAttribute("data-image") || "",
      });
    }
    save(cart);
    if (!button.hasAttribute("data-cart-step")) confirmAdded(button);
  }

  function confirmAdded(button) {
    var label = button.textContent;
    button.textContent = "Added ✓";
    button.classList.add("is-added");
    setTimeout(function () { button.textContent = label; button.classList.remove("is-added"); }, 1600);
    var note = document.querySelector("[data-added-note]");
    if (note && button.closest(".buy-row")) note.hidden = false;
  }

  function change(id, removeAll) {
    var cart = lines();
    var line = cart.filter(function (existing) { return existing.id === id; })[0];
    if (!line) return;
    var quantity = removeAll ? line.quantity : 1;
    line.quantity -= quantity;
    track("remove_from_cart", { product: id, quantity: quantity, price: line.price });
    save(cart.filter(function (existing) { return existing.quantity > 0; }));
  }

  function onClick(event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var adder = target.closest("[data-sk-add-to-cart]");
    if (adder && !adder.disabled) return add(adder);
    var step = target.closest("[data-cart-remove-one], [data-cart-remove]");
    if (step) return change(step.getAttribute("data-cart-remove-one") || step.getAttribute("data-cart-remove"), step.hasAttribute("data-cart-remove"));
    if (target.closest("[data-cart-clear]")) {
      lines().forEach(function (line) { track("remove_from_cart", { product: line.id, quantity: line.quantity }); });
      save([]);
    }
  }

  // --- the cart badge, the cart page, the checkout summary ---------------------------------

  function showCount(cart) {
    var count = cart.reduce(function (sum, line) { return sum + line.quantity; }, 0);
    document.querySelectorAll("[data-cart-count]").forEach(function (badge) {
      badge.textContent = String(count);
      badge.classList.toggle("is-empty", count === 0);
    });
  }

  function cartLine(line) {
    var row = element("li", "cart-line");
    var link = element("a", "cart-line-product");
    link.setAttribute("href", line.url || "#");
    if (line.image) {
      var image = element("img", "cart-line-image");
      image.setAttribute("src", line.image);
      image.setAttribute("alt", "");
      link.append(image);
    }
    link.append(element("span", "cart-line-title", line.title));
    var quantity = element("div", "quantity");
    var less = element("button", "quantity-step", "−");
    less.setAttribute("type", "button");
    less.setAttribute("aria-label", "One fewer " + line.title);
    less.setAttribute("data-cart-remove-one", line.id);
    var more = markForShopkeeper(element("button", "quantity-step", "+"), line);
    more.setAttribute("type", "button");
    more.setAttribute("aria-label", "One more " + line.title);
    more.setAttribute("data-cart-step", "");
    quantity.append(less, element("span", "quantity-value", String(line.quantity)), more);
    var remove = element("button", "link-button", "Remove");
    remove.setAttribute("type", "button");
    remove.setAttribute("data-cart-remove", line.id);
    row.append(link, quantity, element("span", "cart-line-price", money.format(line.price * line.quantity)), remove);
    return row;
  }

  function totalRows(sums) {
    var list = element("dl", "totals");
    var add = function (label, value, className) {
      var row = element("div", className || "");
      row.append(element("dt", "", label), element("dd", "", value));
      list.append(row);
    };
    add("Subtotal", money.format(sums.subtotal));
    if (sums.discount) add("Discount", "−" + money.format(sums.discount));
    add("Shipping", sums.shipping ? money.format(sums.shipping) : "Free");
    add("Total", money.format(sums.total), "totals-total");
    return list;
  }

  function renderCart() {
    var view = document.querySelector("[data-cart-view]");
    if (!view) return;
    var cart = lines();
    if (!cart.length) {
      var empty = element("p", "empty-note", "Your cart is empty. ");
      var back = element("a", "", "Find something for your next trip.");
      back.setAttribute("href", "/");
      empty.append(back);
      return view.replaceChildren(empty);
    }
    var list = element("ul", "cart-lines");
    cart.forEach(function (line) { list.append(cartLine(line)); });
    var sums = totals(cart, "");
    var away = FREE_SHIPPING_FROM - sums.subtotal;
    var note = element("p", "shipping-note", away > 0 ? "Add " + money.format(away) + " more for free shipping." : "Your order ships free.");
    var checkout = element("a", "button button--wide", "Go to checkout");
    checkout.setAttribute("href", "/checkout.html");
    var side = element("div", "cart-side");
    side.append(totalRows(sums), note, checkout);
    view.replaceChildren(list, side);
  }

  function renderSummary() {
    var summary = document.querySelector("[data-checkout-summary]");
    if (!summary) return;
    var cart = lines();
    var coupon = document.querySelector("[data-coupon]");
    var heading = element("h2", "", "Your order");
    if (!cart.length) return summary.replaceChildren(heading, element("p", "empty-note", "Your cart is empty."));
    var list = element("ul", "summary-lines");
    cart.forEach(function (line) {
      var row = element("li");
      row.append(element("span", "", line.quantity + " × " + line.title), element("span", "", money.format(line.price * line.quantity)));
      list.append(row);
    });
    summary.replaceChildren(heading, list, totalRows(totals(cart, coupon ? coupon.value : "")));
  }

  // --- checkout: the order stays in this browser -------------------------------------------

  function onCouponInput(event) {
    var note = document.querySelector("[data-coupon-note]");
    var code = event.target.value.trim().toUpperCase();
    if (note) note.textContent = !code ? "" : COUPONS[code] ? Math.round(COUPONS[code] * 100) + "% off applied." : "That code is not valid.";
    renderSummary();
  }

  function onCheckout(event) {
    event.preventDefault();
    var cart = lines();
    if (!cart.length) return;
    var coupon = (event.target.elements.coupon.value || "").trim().toUpperCase();
    coupon = COUPONS[coupon] ? coupon : "";
    var sums = totals(cart, coupon);
    write(ORDER_KEY, {
      number: "R-" + Date.now().toString(36).toUpperCase(), placed_at: Date.now(), items: cart, coupon: coupon,
      subtotal: sums.subtotal, discount: sums.discount, shipping: sums.shipping, total: sums.total, recorded: false,
    });
    write(CART_KEY, []); // the order page tells shopkeeper about the purchase, which empties its cart too
    location.assign("/order.html");
  }

  document.addEventListener("click", onClick);
  var form = document.querySelector("[data-checkout-form]");
  if (form) form.addEventListener("submit", onCheckout);
  var couponField = document.querySelector("[data-coupon]");
  if (couponField) couponField.addEventListener("input", onCouponInput);
  window.addEventListener("storage", function (event) { if (event.key === CART_KEY) save(lines()); });
  showCount(lines());
  renderCart();
  renderSummary();
})();
