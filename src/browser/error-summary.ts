// After a refused submit, the summary of what to fix takes the focus, so it is read first; its
// links take the focus to their field and bring the field's label into view with it.
const summary = document.getElementById('error-summary');

if (summary) {
  summary.focus();
  summary.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
    const field = link instanceof HTMLAnchorElement ? document.getElementById(decodeURIComponent(link.hash.slice(1))) : null;
    if (!field) return;
    event.preventDefault();
    (field.closest('.field') ?? field).scrollIntoView({ block: 'start' });
    field.focus({ preventScroll: true });
  });
}
