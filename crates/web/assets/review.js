// Steward dashboard: the review page's enhancements. Keyboard shortcuts:
// j/k move between cases, c confirms and d dismisses the selected case,
// x ticks its box for a bulk decision, ? shows the help. The page works
// without this script.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  const items = Array.from(document.querySelectorAll('[data-review-item]'));
  const help = document.getElementById('review-shortcuts');
  let current = -1;

  function select(index) {
    if (items.length === 0) return;
    const next = Math.max(0, Math.min(items.length - 1, index));
    if (current >= 0 && items[current]) items[current].classList.remove('selected');
    current = next;
    const item = items[current];
    item.classList.add('selected');
    item.focus();
    item.scrollIntoView({ block: 'nearest' });
  }

  // Clicking into a case makes it the selected one.
  items.forEach((item, index) => {
    item.addEventListener('focusin', () => {
      if (current === index) return;
      if (current >= 0 && items[current]) items[current].classList.remove('selected');
      current = index;
      item.classList.add('selected');
    });
  });

  // Keys typed into a field are text, not shortcuts.
  function typing(target) {
    if (!(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    if (target.matches('textarea, select')) return true;
    if (target.matches('input')) {
      const type = (target.getAttribute('type') || 'text').toLowerCase();
      return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
    }
    return false;
  }

  function press(shortcut) {
    if (current < 0) return;
    const button = items[current].querySelector(`button[data-shortcut="${shortcut}"]`);
    if (button && button.form) button.form.requestSubmit(button);
  }

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    switch (event.key) {
      case 'j':
        select(current + 1);
        break;
      case 'k':
        select(current < 0 ? 0 : current - 1);
        break;
      case 'c':
        press('c');
        break;
      case 'd':
        press('d');
        break;
      case 'x': {
        if (current < 0) return;
        const box = items[current].querySelector('input[type="checkbox"][name="case"]');
        if (box) box.checked = !box.checked;
        break;
      }
      case '?':
        if (help) {
          help.open = !help.open;
          if (help.open) help.scrollIntoView({ block: 'nearest' });
        }
        break;
      default:
        return;
    }
    event.preventDefault();
  });
});
