// The template's own script: fills the product in from ?id= and runs the quantity stepper.
const id = new URLSearchParams(location.search).get("id") || "";
document.getElementById("title").textContent = `Product ${id}`;
const qty = document.getElementById("qty");
document.getElementById("plus").addEventListener("click", () => { qty.value = String(Number(qty.value) + 1); });
document.getElementById("minus").addEventListener("click", () => { qty.value = String(Math.max(1, Number(qty.value) - 1)); });
// ?only=ID keeps one recommendation block of the page: the small test store has too few
// products for several shelves at once (a product shown on one is not repeated on the next).
const only = new URLSearchParams(location.search).get("only");
if (only) for (const block of document.querySelectorAll("main > section[data-block]")) if (block.id !== only) block.remove();
