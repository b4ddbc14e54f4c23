// The review workbench's keyboard and box drawing (issue 8). Everything here also works
// without it: every decision is an ordinary form with a button.
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-suggestion]"));
  var current = -1;

  // The outlines' places come as data (percent of the page: left top width height): our
  // CSP (style-src 'self') refuses inline style attributes, not styles set from a script.
  document.querySelectorAll(".pp-mark[data-box]").forEach(function (m) {
    var box = m.getAttribute("data-box").split(" ");
    m.style.left = box[0] + "%";
    m.style.top = box[1] + "%";
    m.style.width = box[2] + "%";
    m.style.height = box[3] + "%";
  });

  function focusItem(i) {
    if (!items.length) return;
    current = (i + items.length) % items.length;
    items.forEach(function (el) { el.classList.remove("pp-current"); });
    var item = items[current];
    item.classList.add("pp-current");
    item.focus();
    var id = item.getAttribute("data-suggestion");
    document.querySelectorAll(".pp-mark").forEach(function (m) {
      m.classList.toggle("pp-focus", m.getAttribute("data-row") === id);
    });
  }

  function focused() {
    var el = document.activeElement;
    while (el && !el.hasAttribute("data-suggestion")) el = el.parentElement;
    return el || (current >= 0 ? items[current] : null);
  }

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT");
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(document.activeElement)) return;
    var key = e.key;
    if (key === "j") { focusItem(current + 1); e.preventDefault(); return; }
    if (key === "k") { focusItem(current - 1); e.preventDefault(); return; }
    if (key === "r") {
      var text = String(window.getSelection() || "").trim();
      var input = document.getElementById("pp-redact-text");
      if (text && input) { input.value = text; input.focus(); e.preventDefault(); }
      return;
    }
    if (key === "a" || key === "1" || key === "2" || key === "3") {
      var item = focused();
      var form = item && item.querySelector('form[data-key="' + key + '"]');
      if (form) { form.submit(); e.preventDefault(); }
      return;
    }
    var link = document.querySelector('a[data-key="' + key + '"]');
    if (link) { window.location.href = link.href; e.preventDefault(); }
  });

  // Draw a box on the original page: the rectangle is sent in PDF points.
  var page = document.querySelector(".pp-page");
  var rectInput = document.getElementById("pp-box-rect");
  if (!page || !rectInput) return;
  var start = null;
  var shape = null;
  function point(e) {
    var r = page.getBoundingClientRect();
    return { x: Math.max(0, Math.min(e.clientX - r.left, r.width)), y: Math.max(0, Math.min(e.clientY - r.top, r.height)), w: r.width, h: r.height };
  }
  page.addEventListener("mousedown", function (e) {
    start = point(e);
    if (shape) shape.remove();
    shape = document.createElement("span");
    shape.className = "pp-draw";
    page.appendChild(shape);
    e.preventDefault();
  });
  page.addEventListener("mousemove", function (e) {
    if (!start) return;
    var p = point(e);
    shape.style.left = Math.min(start.x, p.x) + "px";
    shape.style.top = Math.min(start.y, p.y) + "px";
    shape.style.width = Math.abs(p.x - start.x) + "px";
    shape.style.height = Math.abs(p.y - start.y) + "px";
  });
  document.addEventListener("mouseup", function (e) {
    if (!start) return;
    var p = point(e);
    var sx = parseFloat(page.getAttribute("data-width")) / p.w;
    var sy = parseFloat(page.getAttribute("data-height")) / p.h;
    var r = [Math.min(start.x, p.x) * sx, Math.min(start.y, p.y) * sy, Math.max(start.x, p.x) * sx, Math.max(start.y, p.y) * sy];
    rectInput.value = r.map(function (v) { return v.toFixed(1); }).join(",");
    start = null;
    rectInput.focus();
  });
})();
