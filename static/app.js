// Forewarn enhancements; every page works without this file.
(function () {
  "use strict";

  // Quick exit: replace this page in the history with a neutral site, so
  // the back button does not bring it back. Escape does the same.
  var exit = document.querySelector("[data-quick-exit]");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.visibility = "hidden";
    document.title = "";
    window.location.replace(exit.href);
  }
  if (exit) {
    exit.addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      // Escape inside a field only leaves the field (a list, a selection).
      var t = event.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
      if (event.key === "Escape" || event.key === "Esc") { leave(event); }
    });
  }

  // A check's verdict takes the focus, for browsers that ignore autofocus
  // on a heading.
  var verdict = document.getElementById("verdict");
  if (verdict && document.activeElement !== verdict) { verdict.focus(); }

  // Copy buttons for the share-as-text block.
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var label = button.textContent;
      var done = function () {
        button.textContent = button.getAttribute("data-copied");
        window.setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(target.value).then(done, function () {
          target.select();
        });
      } else {
        target.select();
        if (document.execCommand && document.execCommand("copy")) { done(); }
      }
    });
  });
})();
