// LEV's own behaviour, no inline scripts (the CSP forbids them).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("[data-lev-autosubmit]") && el.form) {
    el.form.submit();
  }
});
