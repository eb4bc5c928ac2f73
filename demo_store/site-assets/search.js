// The demo store's search: filters the catalog embedded in the page (a JSON data block)
// by the query in the URL. A static site has no server to search for it, and the page's
// Content-Security-Policy allows no inline script, hence this file.
//
// It runs at the end of <body>, before DOMContentLoaded, so that the loader, which reads
// the page at DOMContentLoaded, finds the query in data-sk-search and the results marked
// with data-sk-item under data-sk-rerank. The query is shopper text: it reaches the page
// through textContent and attributes only.
(function () {
  "use strict";

  var MAX_QUERY = 200;
  var OUTCOME_WORDS = ["best", "rated", "proven", "top"];
  var money = new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" });

  var query = (new URLSearchParams(location.search).get("q") || "").trim().slice(0, MAX_QUERY);
  var products = [];
  try { products = JSON.parse(document.getElementById("search-index").textContent); } catch (error) { /* no index: no results */ }

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // Every query word must start a word of the product's text ("beginner" finds
  // "beginners"); words of the title count most.
  function score(product, terms) {
    var title = words(product.title);
    var rest = words(product.brand + " " + product.category + " " + product.text);
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      var prefix = function (word) { return word.indexOf(term) === 0 || (term.length > 3 && word.indexOf(term.replace(/s$/, "")) === 0); };
      if (title.some(prefix)) total += 3;
      else if (rest.some(prefix)) total += 1;
      else if (OUTCOME_WORDS.indexOf(term) < 0) return 0; // "best" alone need not match
    }
    return total;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function card(product) {
    var item = element("li", "card" + (product.in_stock ? "" : " card--sold-out"));
    item.setAttribute("data-sk-item", product.id);
    var link = element("a", "card-link");
    link.setAttribute("href", product.url);
    var image = element("img", "card-image");
    image.setAttribute("src", product.image);
    image.setAttribute("alt", "");
    image.setAttribute("width", "400");
    image.setAttribute("height", "300");
    link.append(image, element("span", "card-brand", product.brand), element("span", "card-title", product.title));
    var price = element("p", "card-price");
    if (product.sale_price !== null) {
      price.append(element("span", "price-sale", money.format(product.sale_price)), " ", element("s", "price-was", money.format(product.price)));
    } else {
      price.append(element("span", "price-now", money.format(product.price)));
    }
    var button = element("button", "button button--small", product.in_stock ? "Add to cart" : "Sold out");
    button.setAttribute("type", "button");
    if (product.in_stock) {
      button.setAttribute("data-sk-add-to-cart", product.id);
      button.setAttribute("data-sk-price", (product.sale_price !== null ? product.sale_price : product.price).toFixed(2));
      button.setAttribute("data-title", product.title);
      button.setAttribute("data-url", product.url);
      button.setAttribute("data-image", product.image);
    } else {
      button.disabled = true;
    }
    item.append(link, price, button);
    return item;
  }

  if (!query) return;
  document.body.setAttribute("data-sk-search", query);
  document.title = "“" + query + "” · " + document.title;
  var field = document.querySelector(".search-form input[name=q]");
  if (field) field.value = query;
  var terms = words(query);
  var found = products
    .map(function (product, index) { return { product: product, score: score(product, terms), index: index }; })
    .filter(function (entry) { return entry.score > 0; })
    .sort(function (a, b) { return b.score - a.score || a.index - b.index; });
  document.querySelector("[data-search-heading]").textContent = "Results for “" + query + "”";
  document.querySelector("[data-search-summary]").textContent = found.length === 1 ? "1 product" : found.length + " products";
  var results = document.querySelector("[data-search-results]");
  found.forEach(function (entry) { results.append(card(entry.product)); });
  document.querySelector("[data-search-empty]").hidden = found.length > 0;
})();
