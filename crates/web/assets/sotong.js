// The one script of sotong's pages. Pages work without it:
// - on narrow screens the body's menu folds behind a button (without the script the
//   menu is simply shown);
// - while a citizen types a proposal's title, similar proposals appear under it (without
//   the script they appear on the form's preview step).
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
  for (const input of document.querySelectorAll("[data-similar-target]")) {
    const box = document.getElementById(input.dataset.similarTarget);
    if (!box) continue;
    let timer;
    let asked = "";
    const ask = async () => {
      const subject = input.value.trim();
      if (subject === asked) return;
      asked = subject;
      if (subject.length < 2) { box.innerHTML = ""; return; }
      const response = await fetch(`${box.dataset.similarUrl}?subject=${encodeURIComponent(subject)}`, {
        headers: { Accept: "text/html" }, credentials: "same-origin",
      });
      if (response.ok && asked === subject) box.innerHTML = await response.text();
    };
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(ask, 300); });
    input.addEventListener("change", ask);
  }
});
