// Case wizard: after htmx swaps in a step, move keyboard focus to what the
// person needs next: the conflict notice, a line just added or the next line
// after a removal (data-focus), else the step heading. An error summary takes
// focus itself (forms.js).
document.addEventListener("htmx:afterSwap", () => {
  const wizard = document.getElementById("wizard");
  if (!wizard || wizard.querySelector("#error-summary")) return;
  let target = wizard.querySelector("#conflict");
  const focusId = wizard.dataset.focus;
  if (!target && focusId) {
    const block = document.getElementById(focusId);
    target = block && block.querySelector("input:not([type=hidden]), select, button");
  }
  target = target || wizard.querySelector("#step-heading");
  if (!target) return;
  if (!target.matches("input, select, button, a") && !target.hasAttribute("tabindex")) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
});
