// A small single-page store, as a framework router behaves: a link click is
// history.pushState plus drawing the route into #app (and <body>'s data-sk-* attributes);
// Back is popstate. Home inserts a second shelf a moment after it is drawn, as a lazily
// loaded component would. The search route also says so with shopkeeper.page(). Every
// decisions event is kept in window.decided for the tests.
(function () {
  "use strict";
  var app = document.getElementById("app");
  window.decided = [];
  window.shopkeeper.on("decisions", function (decisions) { window.decided.push(decisions); });

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function draw(url) {
    var params = new URL(url, location.href).searchParams;
    var view = params.get("view") || "home";
    var body = document.body;
    body.setAttribute("data-sk-page", view);
    body.removeAttribute("data-sk-product");
    if (view === "product") {
      body.setAttribute("data-sk-product", params.get("id") || "");
      app.replaceChildren(element("h1", {}, params.get("id")),
        element("div", { "data-sk-recs": "recently-viewed", "data-sk-count": "4", id: "recent" }));
    } else if (view === "search") {
      app.replaceChildren(element("h1", {}, "Results for " + (params.get("q") || "")));
    } else {
      var hero = element("section", { "data-sk-slot": "hero", id: "hero" });
      hero.append(element("p", { class: "default" }, "Default hero content."));
      app.replaceChildren(hero);
      setTimeout(function () {
        if (document.getElementById("hero") === hero) {
          app.append(element("div", { "data-sk-recs": "recently-viewed", "data-sk-count": "4", id: "lazy-recent" }));
        }
      }, 300);
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-route]");
    if (!link) return;
    event.preventDefault();
    history.pushState({}, "", link.href);
    draw(link.href);
  });
  window.addEventListener("popstate", function () { draw(location.href); });
  window.searchFor = function (query) {
    var url = "/t/spa.html?view=search&q=" + encodeURIComponent(query);
    history.pushState({}, "", url);
    draw(url);
    window.shopkeeper.page({ page: "search", search: query });
  };
  draw(location.href);
})();
