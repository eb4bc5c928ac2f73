// The home page's one-question quiz: zero-party data the shopper chooses to give. The
// answer goes to shopkeeper (stored in this browser, read by rules as quiz_trip).
(function () {
  "use strict";

  var quiz = document.querySelector("[data-quiz]");
  if (!quiz) return;
  quiz.addEventListener("click", function (event) {
    var choice = event.target instanceof Element ? event.target.closest("[data-quiz-answer]") : null;
    if (!choice || !window.shopkeeper) return;
    window.shopkeeper.track("quiz_answer", { question: quiz.getAttribute("data-quiz"), answer: choice.getAttribute("data-quiz-answer") });
    quiz.querySelectorAll("[data-quiz-answer]").forEach(function (option) {
      option.setAttribute("aria-pressed", option === choice ? "true" : "false");
    });
    quiz.querySelector("[data-quiz-thanks]").hidden = false;
  });
})();
