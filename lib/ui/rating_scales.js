// The daily log's 0-10 rating scales (lib/ui/rating_scales.py): plain buttons in radio groups.
// Drawn once per day's form and then only updated, so the keyboard's focus stays where it was.
// Her taps are kept here per form, for as long as the page is open: they are exactly what was sent to the
// server, which keeps them in her session (and gets them again from the browser after a lost connection).
// The server sends only the day's saved values; a tap shows at once and is never undone by a run that
// started before it.
// A tap chooses a number; a tap on the chosen number clears it (not rated). The arrow keys, Home and End
// move between the numbers of a scale, Space or Enter chooses; Tab enters a scale once, at its chosen
// number (or at 0).

function focusable(group, button) {
  for (const b of group.querySelectorAll("button")) b.tabIndex = b === button ? 0 : -1;
}

function show(group, value) {
  let current = null;
  for (const b of group.querySelectorAll("button")) {
    const on = value !== null && value !== undefined && Number(b.dataset.v) === value;
    b.setAttribute("aria-checked", on ? "true" : "false");
    if (on) current = b;
  }
  if (!group.contains(document.activeElement)) focusable(group, current || group.querySelector("button"));
}

const taps = (window.__mgRatingTaps ??= new Map());  // form -> {rating: value or null}

function build(root, data) {
  root.replaceChildren();
  root.dataset.form = data.form;
  if (!taps.has(data.form)) taps.set(data.form, {});
  for (const scale of data.scales) {
    const box = document.createElement("div");
    box.className = "mg-scale";
    const label = document.createElement("div");
    label.className = "mg-scale-label";
    label.textContent = scale.label;  // text, never HTML
    label.setAttribute("aria-hidden", "true");  // the group carries it as its name
    const group = document.createElement("div");
    group.setAttribute("role", "radiogroup");
    group.setAttribute("aria-label", scale.label);
    group.dataset.name = scale.name;
    for (let n = 0; n <= 10; n++) {
      const b = document.createElement("button");
      b.type = "button";
      b.setAttribute("role", "radio");
      b.dataset.v = String(n);
      b.textContent = String(n);
      group.appendChild(b);
    }
    group.addEventListener("click", (event) => {
      const b = event.target.closest("button");
      if (!b) return;
      const value = b.getAttribute("aria-checked") === "true" ? null : Number(b.dataset.v);
      taps.get(data.form)[scale.name] = value;
      show(group, value);
      focusable(group, b);
      root.setState(scale.name, value);
    });
    group.addEventListener("keydown", (event) => {
      const buttons = [...group.querySelectorAll("button")];
      const at = buttons.indexOf(document.activeElement);
      const to = {ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1,
                  Home: 0, End: buttons.length - 1}[event.key];
      if (to === undefined || at < 0) return;
      event.preventDefault();
      const b = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
      focusable(group, b);
      b.focus();
    });
    box.append(label, group);
    root.appendChild(box);
  }
}

export default function (component) {
  const { parentElement, data, setStateValue } = component;
  let root = parentElement.querySelector(".mg-scales");
  if (!root) {
    root = document.createElement("div");
    root.className = "mg-scales";
    parentElement.appendChild(root);
  }
  root.setState = setStateValue;
  if (root.dataset.form !== data.form) build(root, data);
  const tapped = taps.get(data.form);
  for (const group of root.querySelectorAll('[role="radiogroup"]')) {
    const name = group.dataset.name;
    show(group, name in tapped ? tapped[name] : data.saved[name]);
  }
}
