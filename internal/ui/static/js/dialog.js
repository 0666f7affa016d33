// Modal dialogs on the native <dialog> element, with what the platform does
// not guarantee everywhere: focus kept inside while open (Tab wraps), Escape
// closes through the same path as the close buttons, and focus returns to
// whatever opened the dialog.

const FOCUSABLE = [
  "a[href]", "button:not([disabled])", "input:not([disabled]):not([type=hidden])",
  "select:not([disabled])", "textarea:not([disabled])", "[tabindex]:not([tabindex='-1'])",
].join(",");

function focusables(root) {
  return Array.from(root.querySelectorAll(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
}

// Modal wraps one <dialog>. onClose runs after it closes, however it closed.
export class Modal {
  // fallbackFocus receives focus when the opener can no longer take it
  // (it was disabled or removed while the dialog was open).
  constructor(dialog, { onClose, fallbackFocus } = {}) {
    this.dialog = dialog;
    this.onClose = onClose;
    this.fallbackFocus = fallbackFocus;
    this.opener = null;
    dialog.addEventListener("keydown", (e) => this.trapTab(e));
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      this.close();
    });
    // A click on the backdrop lands on the dialog element itself.
    dialog.addEventListener("mousedown", (e) => {
      if (e.target === dialog) this.close();
    });
    for (const btn of dialog.querySelectorAll("[data-close]")) {
      btn.addEventListener("click", () => this.close());
    }
  }

  get isOpen() {
    return this.dialog.open;
  }

  // open shows the dialog and focuses initial (or its first control).
  open(initial) {
    this.opener = document.activeElement;
    this.dialog.showModal();
    const target = initial || focusables(this.dialog)[0];
    if (target) target.focus();
  }

  close() {
    if (!this.dialog.open) return;
    this.dialog.close();
    if (this.onClose) this.onClose();
    const back = this.opener;
    this.opener = null;
    if (back && back.isConnected && !back.disabled && typeof back.focus === "function") back.focus();
    else if (this.fallbackFocus) this.fallbackFocus.focus();
  }

  trapTab(e) {
    if (e.key !== "Tab") return;
    const items = focusables(this.dialog);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !this.dialog.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !this.dialog.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }
}
