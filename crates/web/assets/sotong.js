// The one script of sotong's pages: on narrow screens the body's menu folds behind a
// button. Without this script (or before it runs) the menu is simply shown.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-menu-toggle]")) {
    const menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) continue;
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }
});
