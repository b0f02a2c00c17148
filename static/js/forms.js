// Forms everywhere: the error summary and submitting once.
// Error summary (GOV.UK pattern): after a full page load or an htmx swap that
// shows a summary, scroll it into view and move keyboard focus to it; a link
// in the summary moves focus to its field.
function focusErrorSummary(root) {
  const summary = (root || document).querySelector("#error-summary");
  if (!summary) return false;
  summary.scrollIntoView({ block: "start" });
  summary.focus({ preventScroll: true });
  return true;
}

document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:afterSwap", () => focusErrorSummary(document));  // the swapped-out target is detached
document.addEventListener("click", (event) => {
  const link = event.target.closest("#error-summary a[href^='#']");
  if (!link) return;
  const field = document.getElementById(link.getAttribute("href").slice(1));
  if (!field) return;
  event.preventDefault();
  const label = document.querySelector(`label[for='${field.id}']`) || field;
  (field.closest(".field, fieldset") || label).scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
});

// A form submits once until its answer arrives: a double-click sends one request.
// (The server also answers a repeated one-time token without acting: accounts/submit_once.py.)
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.submitting) {
    event.preventDefault();
    event.stopImmediatePropagation();
    return;
  }
  form.dataset.submitting = "true";
  setTimeout(() => delete form.dataset.submitting, 4000);  // a download or a lost answer frees it again
}, true);
document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
  if (form) delete form.dataset.submitting;
});
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-submitting]").forEach((form) => delete form.dataset.submitting);
});
