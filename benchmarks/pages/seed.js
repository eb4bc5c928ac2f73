// Gives the next page of this origin a shopper history to personalize, without loading
// the runtime (so the measured page still starts with an empty HTTP cache). Writes one
// record exactly as web/shopkeeper.js does: the contract's database (?database=, ?version=),
// store "events" (autoIncrement). The product comes from ?product=; when the record is
// stored, <body data-seeded> names it.
const query = new URLSearchParams(location.search);
const product = query.get("product") || "SKU-BENCH";
const request = indexedDB.open(query.get("database"), Number(query.get("version")));
request.onupgradeneeded = () => request.result.createObjectStore("events", { autoIncrement: true });
request.onerror = () => { document.body.dataset.seedError = String(request.error); };
request.onsuccess = () => {
  const db = request.result;
  const transaction = db.transaction("events", "readwrite");
  transaction.objectStore("events").add({ type: "product_view", ts: Date.now(), page: "product", product });
  transaction.oncomplete = () => { db.close(); document.body.dataset.seeded = product; };
  transaction.onerror = transaction.onabort = () => { db.close(); document.body.dataset.seedError = String(transaction.error); };
};
