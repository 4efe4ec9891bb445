// "Cite this": a copy button beside each citation. The copied text ends
// with the day the reader consulted the page, which a static site cannot
// know when it is built.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var today = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric" }).format(new Date());
  document.querySelectorAll("details.cite .citation").forEach(function (p) {
    // The button's words, once per page on the element around the citations.
    var words = p.closest("[data-copy]").dataset;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.setAttribute("data-js-only", "");
    button.textContent = words.copy;
    button.addEventListener("click", function () {
      var text = p.textContent.trim().replace(/\.$/, "") + ", " + words.consulted.replace("{date}", today) + ".";
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = words.copied;
      }, function () {
        var range = document.createRange();
        range.selectNodeContents(p);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      });
    });
    p.after(button);
  });
})();
