// Typed but unsaved values survive a sign-in: each wizard step keeps what is typed in sessionStorage
// (this browser tab only) and, when the step opens again with different values, offers them back.
// Nothing is put back without the person choosing it; a successful save forgets them.
(() => {
  const FORM = "form.wizard-form";
  const key = () => `unsaved:${location.pathname}`;
  const skipped = (field) => !field.name || ["csrfmiddlewaretoken", "version", "submit_token", "action"].includes(field.name)
    || field.type === "hidden" || field.type === "submit";

  function valuesOf(form) {
    const values = {};
    for (const field of form.elements) {
      if (skipped(field)) continue;
      if (field.type === "checkbox" || field.type === "radio") {
        values[`${field.name}=${field.value}`] = field.checked;
      } else {
        values[field.name] = field.value;
      }
    }
    return values;
  }

  function apply(form, values) {
    for (const field of form.elements) {
      if (skipped(field)) continue;
      if (field.type === "checkbox" || field.type === "radio") {
        const stored = values[`${field.name}=${field.value}`];
        if (stored !== undefined) field.checked = stored;
      } else if (values[field.name] !== undefined) {
        field.value = values[field.name];
      }
    }
  }

  function differs(stored, current) {
    return Object.keys(stored).some((name) => name in current && stored[name] !== current[name]);
  }

  function offer(form) {
    const stored = JSON.parse(sessionStorage.getItem(key()) || "null");
    if (!stored || !differs(stored, valuesOf(form)) || document.getElementById("unsaved-offer")) return;
    const box = document.createElement("div");
    box.id = "unsaved-offer";
    box.className = "unsaved-offer";
    box.setAttribute("role", "alert");
    box.innerHTML = "<p><strong>You typed values here that were not saved.</strong> "
      + "The form shows what is saved. Put back what you typed?</p>";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button primary";
    restore.textContent = "Put back what I typed";
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = "Keep the saved values";
    restore.addEventListener("click", () => { apply(form, stored); box.remove(); form.querySelector("input, select")?.focus(); });
    discard.addEventListener("click", () => { sessionStorage.removeItem(key()); box.remove(); });
    box.append(restore, " ", discard);
    form.before(box);
  }

  function watch() {
    const form = document.querySelector(FORM);
    if (!form || form.dataset.watched) return;
    form.dataset.watched = "true";
    offer(form);
    form.addEventListener("input", () => sessionStorage.setItem(key(), JSON.stringify(valuesOf(form))));
  }

  document.addEventListener("DOMContentLoaded", watch);
  document.addEventListener("htmx:afterSwap", watch);
  // A step saved without errors: what was typed is now stored on the server.
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt.matches && event.detail.elt.matches(FORM)) {
      event.detail.elt.dataset.path = location.pathname;
    }
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!form.matches || !form.matches(FORM) || !event.detail.successful) return;
    if (!document.getElementById("error-summary") && !document.getElementById("conflict")) {
      sessionStorage.removeItem(`unsaved:${form.dataset.path}`);
    }
  });
})();
