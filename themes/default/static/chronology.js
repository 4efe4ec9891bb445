// Sector filter for the chronology. Without JavaScript the chips are links
// to the sectors' pages; with it, a chip shows only the events of its
// sector on this page (another click, or "all", shows them all again).
// Years and months left empty are hidden with their events.
(function () {
  "use strict";
  var bar = document.getElementById("sector-filter");
  if (!bar) return;
  var status = document.getElementById("filter-status");
  var chips = Array.prototype.slice.call(bar.querySelectorAll("[data-sector]"));
  var events = Array.prototype.slice.call(document.querySelectorAll("main .event"));
  var current = null;

  function show(sector) {
    current = sector;
    var shown = 0;
    events.forEach(function (e) {
      var keep = !sector || !!e.querySelector(".chips ." + sector);
      e.hidden = !keep;
      if (keep) shown++;
    });
    document.querySelectorAll("main .events").forEach(function (group) {
      var empty = !group.querySelector(".event:not([hidden])");
      group.hidden = empty;
      var heading = group.previousElementSibling;
      if (heading && heading.classList.contains("month")) heading.hidden = empty;
    });
    document.querySelectorAll("main section.year").forEach(function (y) {
      y.hidden = !y.querySelector(".event:not([hidden])");
    });
    chips.forEach(function (c) {
      c.setAttribute("aria-pressed", String(c.dataset.sector === sector));
    });
    var chip = chips.filter(function (c) { return c.dataset.sector === sector; })[0];
    status.textContent = sector
      ? status.dataset.filtered.replace("{n}", shown).replace("{total}", events.length).replace("{sector}", chip.textContent)
      : "";
    reset.hidden = !sector;
  }

  var reset = document.getElementById("filter-reset");
  reset.addEventListener("click", function () { show(null); });
  chips.forEach(function (c) {
    c.setAttribute("role", "button");
    c.setAttribute("aria-pressed", "false");
    c.addEventListener("click", function (event) {
      event.preventDefault();
      show(current === c.dataset.sector ? null : c.dataset.sector);
    });
  });
  bar.classList.add("filtering");
})();
