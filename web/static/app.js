// Small conveniences only; every page works without this file.
"use strict";

document.addEventListener("keydown", (event) => {
  // "/" focuses the search box, as on many search sites.
  const target = event.target;
  const typing = target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    const box = document.getElementById("q");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  }
});

document.addEventListener("DOMContentLoaded", () => {
  // Bring a highlighted paragraph into view when the URL has ?hl= but no #anchor.
  const highlighted = document.querySelector(".paragraph.is-highlighted");
  if (highlighted && !window.location.hash) {
    highlighted.scrollIntoView({block: "center"});
  }
});
