// Wide tables scroll sideways inside their own box instead of pushing the whole
// page sideways on a phone.
//
// Each .govuk-table is wrapped in <div class="app-table-scroll">, which scrolls
// (see _tables.scss). While a table is wider than its box, the box is made a
// keyboard stop (tabindex="0") and a named region, so people who do not use a
// mouse can scroll it with the arrow keys and know what it holds; when it fits,
// both go again so nobody tabs to a box that does nothing.

const WRAPPER_CLASS = "app-table-scroll";

function regionName(table) {
  const caption = table.querySelector("caption");
  const text = caption ? caption.textContent.trim().replace(/\s+/g, " ") : "";
  return text ? `${text} (scrolls sideways)` : "Table (scrolls sideways)";
}

function wrap(table) {
  const parent = table.parentElement;
  if (parent && parent.classList.contains(WRAPPER_CLASS)) return parent;
  const wrapper = document.createElement("div");
  wrapper.className = WRAPPER_CLASS;
  table.replaceWith(wrapper);
  wrapper.appendChild(table);
  return wrapper;
}

function update(wrapper) {
  const table = wrapper.querySelector("table");
  if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
    wrapper.setAttribute("tabindex", "0");
    wrapper.setAttribute("role", "region");
    wrapper.setAttribute("aria-label", regionName(table));
  } else {
    wrapper.removeAttribute("tabindex");
    wrapper.removeAttribute("role");
    wrapper.removeAttribute("aria-label");
  }
}

export function setUpScrollingTables(root = document) {
  const wrappers = [...root.querySelectorAll("table.govuk-table")].map(wrap);
  const refresh = () => wrappers.forEach(update);
  refresh();
  if ("ResizeObserver" in window) {
    const observer = new ResizeObserver(refresh);
    wrappers.forEach((wrapper) => observer.observe(wrapper));
  } else {
    window.addEventListener("resize", refresh);
  }
}
