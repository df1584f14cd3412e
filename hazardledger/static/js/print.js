// The print button of the A4 hazard card (no inline script under the CSP).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
