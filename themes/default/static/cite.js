// "Cite this": a copy button beside each citation. The copied text ends
// with the day the reader consulted the page, which a static site cannot
// know when it is built.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var today = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric" }).format(new Date());
  document.querySelectorAll("details.cite .citation").forEach(function (p) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.setAttribute("data-js-only", "");
    button.textContent = p.dataset.copy;
    button.addEventListener("click", function () {
      var text = p.textContent.trim().replace(/\.$/, "") + ", " + p.dataset.consulted.replace("{date}", today) + ".";
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = p.dataset.copied;
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
