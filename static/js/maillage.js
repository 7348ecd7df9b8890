// Small behaviours without inline script (the Content-Security-Policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // After an invalid submit, move focus to the error summary so it is read first.
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();

  document.body.addEventListener("click", (event) => {
    // A link of the error summary puts the cursor in the field it names (a plain anchor only scrolls).
    const link = event.target.closest(".error-summary a[href^='#']");
    if (link) {
      const field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`) || field;
        label.scrollIntoView({ block: "start" });
        field.focus({ preventScroll: true });
      }
      return;
    }
    // Copy buttons: <button data-copy="#id">
    const selector = event.target.dataset && event.target.dataset.copy;
    if (!selector) return;
    const source = document.querySelector(selector);
    if (source && navigator.clipboard) navigator.clipboard.writeText(source.value || source.textContent);
  });

  // Confirm destructive actions: <form data-confirm="Question?">
  document.body.addEventListener("submit", (event) => {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
});
