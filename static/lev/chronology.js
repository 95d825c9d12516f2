// The pupil chronology: a "Copy" button beside each summary for the pupil administration.
// Without JavaScript (or without clipboard access) the button stays hidden and the text can be
// selected in its read-only field. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  function statusFor(id) {
    return document.querySelector('[data-lev-copy-status="' + id + '"]');
  }

  function say(id, text) {
    var status = statusFor(id);
    if (status) {
      status.textContent = text || "";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    document.querySelectorAll("[data-lev-copy]").forEach(function (button) {
      button.hidden = false;
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest ? event.target.closest("[data-lev-copy]") : null;
    if (!button) {
      return;
    }
    var id = button.getAttribute("data-lev-copy");
    var field = document.getElementById(id);
    if (!field) {
      return;
    }
    navigator.clipboard.writeText(field.value).then(
      function () {
        say(id, button.getAttribute("data-lev-copied"));
      },
      function () {
        field.focus();
        field.select();
        say(id, button.getAttribute("data-lev-copy-failed"));
      }
    );
  });
})();
