// Gives the next page of this origin a shopper history to personalize, without loading
// the runtime (so the measured page still starts with an empty HTTP cache). Writes one
// record exactly as web/shopkeeper.js does: the contract's database (?database=, ?version=),
// store "events" (autoIncrement). The product comes from ?product=. With ?shard=NAME and
// ?cache=, the product's model shard goes into Cache Storage as the worker keeps it after
// that product's page (web/worker.mjs, docs/shards.md). When all is stored, <body
// data-seeded> names the product.
const query = new URLSearchParams(location.search);
const product = query.get("product") || "SKU-BENCH";

async function keepShard(name, cacheName) {
  const response = await fetch(`/sk/${name}`);
  if (!response.ok) throw new Error(`/sk/${name} answered ${response.status}`);
  const cache = await caches.open(cacheName);
  const key = new URL(`/sk/shopkeeper-shard/${encodeURIComponent(`product:${product}`)}`, location.href).href;
  await cache.put(key, new Response(await response.arrayBuffer(), { headers: { "x-shard-name": name } }));
}

function storeView() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(query.get("database"), Number(query.get("version")));
    request.onupgradeneeded = () => request.result.createObjectStore("events", { autoIncrement: true });
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const transaction = db.transaction("events", "readwrite");
      transaction.objectStore("events").add({ type: "product_view", ts: Date.now(), page: "product", product });
      transaction.oncomplete = () => { db.close(); resolve(); };
      transaction.onerror = transaction.onabort = () => { db.close(); reject(transaction.error); };
    };
  });
}

Promise.all([storeView(), query.get("shard") ? keepShard(query.get("shard"), query.get("cache")) : null]).then(
  () => { document.body.dataset.seeded = product; },
  (error) => { document.body.dataset.seedError = String(error); },
);
