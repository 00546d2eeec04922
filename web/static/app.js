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

// Keyboard: j/k move between results, Enter opens the current one (its document link has focus).
document.addEventListener("keydown", (event) => {
  const target = event.target;
  const typing = target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  if (typing || event.ctrlKey || event.metaKey || event.altKey || (event.key !== "j" && event.key !== "k")) {
    return;
  }
  const hits = Array.from(document.querySelectorAll(".hits > .hit"));
  if (!hits.length) {
    return;
  }
  event.preventDefault();
  const current = hits.findIndex((hit) => hit.classList.contains("is-current"));
  const next = current < 0 ? 0 : Math.min(hits.length - 1, Math.max(0, current + (event.key === "j" ? 1 : -1)));
  hits.forEach((hit, index) => hit.classList.toggle("is-current", index === next));
  const link = hits[next].querySelector(".hit__doc");
  if (link) {
    link.focus({preventScroll: true});
  }
  hits[next].scrollIntoView({block: "nearest"});
});

document.addEventListener("DOMContentLoaded", () => {
  // A filter box inside long facets: shows only the values containing what is typed.
  document.querySelectorAll("input[data-filter-facet]").forEach((box) => {
    const facet = box.closest(".facet");
    box.addEventListener("input", () => {
      const wanted = box.value.trim().toLowerCase();
      const more = facet.querySelector("details.facet__more");
      if (more && wanted) {
        more.open = true;
      }
      facet.querySelectorAll(".facet__values > li").forEach((item) => {
        const label = item.querySelector(".facet-value__label");
        const text = label ? label.textContent.toLowerCase() : "";
        item.hidden = Boolean(wanted) && !text.includes(wanted);
      });
    });
  });

  // On a narrow screen the Filters button opens the facets at the top of the page.
  const toggle = document.querySelector(".filters-toggle");
  const sidebar = document.getElementById("filters");
  if (toggle && sidebar) {
    toggle.addEventListener("click", (event) => {
      event.preventDefault();
      const open = !sidebar.classList.contains("is-open");
      sidebar.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        sidebar.scrollIntoView({block: "start"});
      }
    });
  }
});
