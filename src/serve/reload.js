(function () {
  "use strict";
  // dossier serve: reloads the page when what the server serves for it
  // has changed (a new build, or the pages of a failed one taken back), and
  // shows a failed build over the page, which is then the last good build's.
  var version = document.currentScript.dataset.version;
  var shown = 0;
  var box = null;
  function show(text, built) {
    if (!box) {
      box = document.createElement("pre");
      box.id = "dossier-serve-error";
      box.setAttribute("role", "alert");
      var s = box.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.zIndex = "2147483647";
      s.maxHeight = "70vh"; s.overflow = "auto"; s.margin = "0"; s.padding = "1em 1.5em";
      s.background = "#1d1d1f"; s.color = "#f5f5f7"; s.borderTop = "4px solid #d70015";
      s.font = "13px/1.45 ui-monospace, monospace"; s.whiteSpace = "pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "dossier serve: the build failed; " +
      (built ? "this is the last good build." : "no build has succeeded yet, so there is no page to show.") +
      "\n\n" + text;
  }
  function poll() {
    var page = encodeURIComponent(location.pathname);
    fetch("/__dossier/wait?v=" + version + "&e=" + shown + "&p=" + page, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (state) {
        if (state.reload) {
          location.reload();
          return;
        }
        version = String(state.version);
        if (state.error !== null) { show(state.error, state.built); shown = 1; }
        poll();
      }, function () { setTimeout(poll, 1000); });
  }
  poll();
})();
