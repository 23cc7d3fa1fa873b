// The live workshop page: show the view named in the address (#/customer:regulator), and fetch
// it again whenever the server announces a new picture, keeping the reader's scroll position.
// Other fragments (#coverage) stay the report's own anchors.
"use strict";
(function () {
  const main = document.getElementById("live");
  let loading = Promise.resolve();

  function named() {
    return location.hash.startsWith("#/") ? decodeURIComponent(location.hash.slice(2)) : null;
  }
  let view = named() || "overview";

  async function show(keepScroll) {
    const x = window.scrollX, y = window.scrollY;
    const response = await fetch("view?name=" + encodeURIComponent(view), { cache: "no-store" });
    if (response.status === 404 && view !== "overview") {
      location.hash = "/overview"; // the customer, system or rule is gone
      return;
    }
    main.innerHTML = await response.text();
    document.body.dataset.generation = response.headers.get("X-Generation") || "";
    document.body.dataset.view = view;
    window.scrollTo(keepScroll ? x : 0, keepScroll ? y : 0);
  }

  function queue(keepScroll) {
    loading = loading.then(() => show(keepScroll)).catch(() => undefined);
  }

  main.addEventListener("change", (event) => {
    const target = event.target;
    if (target instanceof HTMLSelectElement && target.dataset.kind && target.value) {
      location.hash = "/" + target.value;
    }
  });
  window.addEventListener("hashchange", () => {
    const next = named();
    if (next !== null && next !== view) {
      view = next || "overview";
      queue(false);
    }
  });
  const events = new EventSource("events");
  events.addEventListener("update", () => queue(true));
  queue(true);
})();
