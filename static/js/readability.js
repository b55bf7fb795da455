// Plain-language hint while writing: average sentence length and share of long words.
// Works for any language written with spaces; progressive enhancement only.
(function () {
  "use strict";
  function measure(text) {
    var sentences = text.split(/[.!?؟。]+\s*/).filter(function (s) { return s.trim().length > 0; });
    var words = text.split(/\s+/).filter(function (w) { return w.length > 0; });
    var long = words.filter(function (w) { return w.replace(/[^\p{L}]/gu, "").length >= 12; });
    return {
      words: words.length,
      perSentence: sentences.length ? Math.round(words.length / sentences.length) : 0,
      longShare: words.length ? Math.round((100 * long.length) / words.length) : 0,
    };
  }
  document.querySelectorAll("textarea[data-readability], input[data-readability]").forEach(function (field) {
    var hint = document.createElement("span");
    hint.className = "readability-hint";
    hint.id = field.id + "_readability";
    hint.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", hint);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
    var labels = document.documentElement.dataset;
    function update() {
      var m = measure(field.value);
      if (!m.words) { hint.textContent = ""; return; }
      var advice = m.perSentence > 20 || m.longShare > 15 ? labels.readHard : labels.readOk;
      hint.textContent = labels.readTemplate
        .replace("{per}", m.perSentence)
        .replace("{long}", m.longShare) + " " + advice;
    }
    field.addEventListener("input", update);
    update();
  });
})();
