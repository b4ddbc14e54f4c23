// Show only the extra fields and help that belong to the chosen right.
(function () {
  "use strict";
  var form = document.getElementById("pp-request-form");
  if (!form) { return; }
  var right = form.querySelector('select[name="right"]');
  function update() {
    form.querySelectorAll("[data-for]").forEach(function (el) {
      el.hidden = el.dataset.for !== right.value;
    });
    form.querySelectorAll("[data-right]").forEach(function (el) {
      el.hidden = el.dataset.right !== right.value;
    });
  }
  right.addEventListener("change", update);
  update();
})();
