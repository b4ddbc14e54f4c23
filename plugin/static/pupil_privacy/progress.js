// Live progress of a pack build on the DPO's request page: polls a small JSON endpoint.
(function () {
  "use strict";
  var box = document.querySelector(".pp-progress");
  if (!box) { return; }
  var bar = box.querySelector(".pp-progress-bar");
  // Set from the script, not a style attribute: the tab's CSP allows no inline style.
  bar.style.width = bar.dataset.percent + "%";
  if (box.dataset.open !== "true") { return; }
  function show(data) {
    bar.style.width = data.percent + "%";
    ["docs_done", "docs_total"].forEach(function (name) {
      var el = document.querySelector('[data-field="' + name + '"]');
      if (el) { el.textContent = data[name] === null ? "waiting" : data[name]; }
    });
    // The document table follows the bar: both come from the same answer.
    Object.keys(data.documents || {}).forEach(function (id) {
      var cell = document.querySelector('[data-doc-status="' + id + '"]');
      if (cell) { cell.textContent = data.documents[id]; }
    });
    if (data.stage_words) {
      var stage = document.querySelector('[data-field="stage"]');
      if (stage) { stage.textContent = data.stage_words; }
    }
    // A new status brings new actions (approve, retry): show them.
    if (data.status !== box.dataset.status) { window.location.reload(); return; }
    window.setTimeout(poll, 2000);
  }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 2000);
})();
