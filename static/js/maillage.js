// Small behaviours without inline script (the Content-Security-Policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive actions: <form data-confirm="Question?">
  document.body.addEventListener("submit", (event) => {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
  // Copy buttons: <button data-copy="#id">
  document.body.addEventListener("click", (event) => {
    const selector = event.target.dataset && event.target.dataset.copy;
    if (!selector) return;
    const field = document.querySelector(selector);
    if (field && navigator.clipboard) navigator.clipboard.writeText(field.value || field.textContent);
  });
});
