// Steward dashboard: small progressive enhancements. Every page works
// without this script.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  // Selects marked data-autosubmit submit their form on change (the
  // language switch); the button stays for keyboards and no-script.
  for (const select of document.querySelectorAll('select[data-autosubmit]')) {
    select.addEventListener('change', () => select.form.requestSubmit());
  }
  // Buttons marked data-confirm ask before submitting.
  for (const button of document.querySelectorAll('button[data-confirm]')) {
    button.addEventListener('click', (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
  // "Select all" checkboxes: data-select-all="name" toggles boxes of that name.
  for (const box of document.querySelectorAll('input[data-select-all]')) {
    box.addEventListener('change', () => {
      for (const other of document.querySelectorAll(`input[name="${box.dataset.selectAll}"]`)) {
        other.checked = box.checked;
      }
    });
  }
});
